/** Options of `startReferenceServer`, their defaults, and the documented ports. */
import { join } from 'node:path';
import { packageRoot } from '../src/spec/paths.js';
import type { Spec } from '../src/spec/model.js';
import { ReferenceServerError } from './errors.js';

/** Options of `startReferenceServer`. */
export interface ReferenceServerOptions {
  /** A built-in protocol id or the path of an AsyncAPI document. */
  protocol: string;
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default: the document's own port; 0 picks a free port). */
  port?: number;
  /** Fixture file (default: fixtures/<id>/<default>.jsonl). */
  fixture?: string;
  /** Seed of the ids (default 1). */
  seed?: number;
  /** Pace the stream like the recording, `speed` times faster (2 = twice as fast). */
  speed?: number;
  /** Send as fast as the client reads (the default when `speed` is not given). */
  instant?: boolean;
  /** The token clients must present (aragora: optional, downgrades without it; gemini-chat: required). */
  token?: string;
  /** The admin token (gemini-chat monitoring). */
  adminToken?: string;
  /**
   * A secret for HS256 JWTs: a token that verifies with it is valid, and one whose `role` claim
   * is `admin` is an admin token (gemini-chat's documents speak of JWTs). Literal tokens still work.
   */
  jwtSecret?: string;
  /** Fault names (see faults.ts). */
  faults?: string[];
  /** WebSocket ping interval (coda; document: 20 s) and Socket.IO pingInterval, in ms. */
  keepaliveIntervalMs?: number;
  /** Largest accepted client frame (default 1 MiB); larger frames close with 1009. */
  maxFrameBytes?: number;
  /** Slow-consumer bound: bytes buffered for one client before it is cut off (default 4 MiB). */
  maxBufferedBytes?: number;
  /** Sees every client connection and every frame a client sends (`judge-client`). */
  observer?: ClientObserver;
}

/** A client connection as an observer sees it: what it presented, and a way to talk to it. */
export interface ObservedClient {
  /** The documented channel address it connected to. */
  channel: string;
  /** The upgrade request's query and headers (where a token may travel). */
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Socket.IO: the handshake's `auth` object. */
  auth?: Record<string, unknown>;
  /** The subprotocol the server selected ('' for none). */
  protocol: string;
  /** Sends a raw text frame to the client (Socket.IO: a JSON array `[event, ...args]`, emitted). */
  send(text: string): void;
  /** Closes the connection with a code. */
  close(code: number, reason: string): void;
  /** Sends a WebSocket ping frame. */
  ping(payload: string): void;
}

/** An upgrade request the server answered with an HTTP error instead of a WebSocket. */
export interface RefusedAttempt {
  /** The path the client asked for. */
  channel: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Socket.IO: the handshake's `auth` object. */
  auth?: Record<string, unknown>;
  /** The HTTP status of the refusal (Socket.IO: 401 for a `connect_error` on the namespace). */
  status: number;
}

/** Callbacks of an observer of the clients (every one optional). */
export interface ClientObserver {
  onOpen?(id: number, client: ObservedClient): void;
  /** A connection attempt the server refused on the upgrade (unknown channel, no valid token). */
  onRefused?(attempt: RefusedAttempt): void;
  /** A frame the client sent: its text (binary frames: `undefined`) and size. */
  onFrame?(id: number, text: string | undefined, bytes: number): void;
  onClose?(id: number, code: number, reason: string): void;
  /** A pong frame from the client, with its payload. */
  onPong?(id: number, payload: string): void;
  /** A message the server sent the client (WebSocket: the frame's text; Socket.IO: `[event, ...args]` as JSON). */
  onSent?(id: number, text: string): void;
}

/** Options with every default applied. */
export interface ResolvedOptions {
  protocol: string;
  host: string;
  port: number;
  /** Undefined for a user's document served without one: the default scenario (scenario.ts). */
  fixture?: string;
  seed: number;
  /** 0 means instant. */
  speed: number;
  token?: string;
  adminToken?: string;
  jwtSecret?: string;
  faults: string[];
  keepaliveIntervalMs?: number;
  maxFrameBytes: number;
  maxBufferedBytes: number;
  observer?: ClientObserver;
}

/** The fixture each built-in protocol serves by default. */
export const DEFAULT_FIXTURES: Record<string, string> = {
  kiwi: 'voice-session.jsonl',
  clown: 'daemon-session.jsonl',
  coda: 'voice-pipeline.jsonl',
  aragora: 'debate.jsonl',
  'aragora-control-plane': 'orchestration.jsonl',
  'gemini-chat': 'chat-session.jsonl',
};

/** The documented tokens of gemini-chat, used when none are given. */
export const DEFAULT_TOKENS: Record<string, { token: string; adminToken?: string }> = {
  'gemini-chat': { token: 'dev-user-token', adminToken: 'dev-admin-token' },
};

/** The port of the document's first server (`localhost:7789` -> 7789; no port: 80, or 443 for wss/https). */
export function documentedPort(spec: Spec): number {
  const host = spec.servers[0]?.host ?? '';
  const m = /:(\d+)$/.exec(host);
  if (m) return Number(m[1]);
  return spec.servers[0]?.protocol === 'wss' || spec.servers[0]?.protocol === 'https' ? 443 : 80;
}

/** Applies defaults and checks ranges. */
export function resolveOptions(options: ReferenceServerOptions, spec: Spec): ResolvedOptions {
  const bad = (m: string): never => {
    throw new ReferenceServerError('WSC_OPTION', m);
  };
  if (options.speed !== undefined && !(options.speed > 0)) bad(`speed must be a number above 0, got ${options.speed}`);
  if (options.port !== undefined && (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535)) bad(`port must be an integer from 0 to 65535, got ${options.port}`);
  if (options.seed !== undefined && !Number.isInteger(options.seed)) bad(`seed must be an integer, got ${options.seed}`);
  for (const k of ['keepaliveIntervalMs', 'maxFrameBytes', 'maxBufferedBytes'] as const) {
    const v = options[k];
    if (v !== undefined && (!Number.isFinite(v) || v <= 0)) bad(`${k} must be a number above 0, got ${v}`);
  }
  let fixture = options.fixture;
  if (!fixture) {
    const name = DEFAULT_FIXTURES[spec.id];
    if (name) fixture = join(packageRoot(), 'fixtures', spec.id, name);
  }
  const tokens = DEFAULT_TOKENS[spec.id];
  return {
    protocol: options.protocol,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? documentedPort(spec),
    fixture,
    seed: options.seed ?? 1,
    speed: options.speed !== undefined && !options.instant ? options.speed : 0,
    token: options.token ?? tokens?.token,
    adminToken: options.adminToken ?? tokens?.adminToken,
    jwtSecret: options.jwtSecret,
    faults: options.faults ?? [],
    keepaliveIntervalMs: options.keepaliveIntervalMs,
    maxFrameBytes: options.maxFrameBytes ?? spec.ext.robustness?.maxFrameBytes ?? 1024 * 1024,
    maxBufferedBytes: options.maxBufferedBytes ?? 4 * 1024 * 1024,
    observer: options.observer,
  };
}

/**
 * The transport interface: one connection to a server, its wire log (every frame in both
 * directions, in order) and small waiting primitives. WebSocket and Socket.IO implement it.
 */

import type { FrameView, LogBounds } from './log.js';

/** What kind of wire event a frame is. `error` records a protocol error the client detected. */
export type FrameType = 'text' | 'binary' | 'ping' | 'pong' | 'close' | 'error';

/** Engine.IO / Socket.IO details of a frame (Socket.IO connections only). */
export interface SocketIoInfo {
  /** Engine.IO packet type. */
  engine: 'open' | 'close' | 'ping' | 'pong' | 'message' | 'upgrade' | 'noop' | 'invalid';
  /** Socket.IO packet type, for Engine.IO `message` packets. */
  packet?: 'CONNECT' | 'DISCONNECT' | 'EVENT' | 'ACK' | 'CONNECT_ERROR' | 'BINARY_EVENT' | 'BINARY_ACK';
  /** The namespace of the Socket.IO packet. */
  nsp?: string;
  /** The decoded packet data (CONNECT, CONNECT_ERROR, ACK), or the Engine.IO open handshake. */
  data?: unknown;
}

/** One entry of a connection's wire log. */
export interface Frame {
  /** Position in the connection's wire log (both directions), from 0. */
  index: number;
  /** Milliseconds since the connection attempt started. */
  at: number;
  /** `in`: server → client; `out`: client → server. */
  dir: 'in' | 'out';
  type: FrameType;
  /** The frame's text (text frames: the whole wire text; Socket.IO: the Engine.IO packet). */
  text?: string;
  /** Payload size in bytes. */
  bytes: number;
  /** Ping/pong payload, as UTF-8 text. */
  payload?: string;
  /** Close frames: the close code and reason. Error frames: the client-side error code. */
  code?: number;
  reason?: string;
  /** The application message the frame carries: WebSocket, the parsed JSON; Socket.IO, `[event, ...args]`. */
  message?: unknown;
  /** Whether the text parsed as JSON (WebSocket text frames, Socket.IO packet data). */
  json?: boolean;
  /** Why the text is not JSON. */
  parseError?: string;
  /** The message's wire name, when one could be read. */
  name?: string;
  /** Socket.IO connections: the packet. */
  sio?: SocketIoInfo;
}

/** Why a connection could not be opened. */
/** Why a connection could not be opened. `not-tried`: the kit did not try, because an earlier
 * connection of the run (the observation) got no answer from the server within the timeout. */
export type OpenFailureKind = 'refused' | 'unreachable' | 'timeout' | 'http' | 'closed' | 'connect-error' | 'error' | 'not-tried';

/** The outcome of opening a connection. */
export type OpenResult =
  | {
      ok: true;
      ms: number;
      /** Socket.IO: the Engine.IO open handshake. */
      handshake?: EngineHandshake;
      /** WebSocket: the subprotocol the server selected ('' for none). */
      protocol?: string;
    }
  | {
      ok: false;
      ms: number;
      kind: OpenFailureKind;
      detail: string;
      status?: number;
      code?: number;
      data?: unknown;
      /** A timeout while the run's observation connection got no answer either: one cause, the server's. */
      observationUnanswered?: true;
    };

/** The Engine.IO open packet's data. */
export interface EngineHandshake {
  sid?: string;
  upgrades?: string[];
  pingInterval?: number;
  pingTimeout?: number;
  maxPayload?: number;
}

/** How a connection ended. */
export interface CloseInfo {
  code: number;
  reason: string;
  /** Who closed first. */
  by: 'server' | 'client';
  ms: number;
}

/** Options of a connection. */
export interface ConnectOptions {
  /** `ws(s)://…` for WebSocket; `http(s)://…` or `ws(s)://…` for Socket.IO. */
  url: string;
  /** Socket.IO: the namespace to connect (default: the URL's path, else `/`). */
  namespace?: string;
  /** Extra upgrade request headers. */
  headers?: Record<string, string>;
  /** Extra query parameters. */
  query?: Record<string, string>;
  /** Socket.IO: the handshake `auth` object. */
  auth?: Record<string, unknown>;
  /** WebSocket: the subprotocols offered (`Sec-WebSocket-Protocol`). */
  protocols?: string[];
  /** Handshake timeout: upgrade plus (Socket.IO) Engine.IO open and namespace connect. */
  timeoutMs: number;
  /** The largest frame the client accepts; a larger one is a client-side error and a close. */
  maxPayload?: number;
  /** Reads a message's wire name (the spec's validator), per direction. */
  nameOf?: (message: unknown, direction: 'receive' | 'send') => string | undefined;
  /** A label for the wire log (e.g. the check id). */
  label?: string;
  /** Answers a server message at once (the document's server ping): the message to send, or undefined. */
  answer?: (frame: Frame) => unknown;
}

/** Called with every frame of a connection as it is recorded, in order. */
export type FrameTap = (frame: Frame) => void;

/** A connection to the server under test. */
export interface Connection {
  readonly label: string;
  readonly url: string;
  /** When the attempt started (`performance.now()`): a frame's `at` counts from it. */
  readonly startedAt: number;
  /** The wire log so far (a bounded log holds only part of it: see `boundLog`). */
  readonly frames: FrameView;
  /** Resolves once, when the connection is open or has failed to open. */
  readonly opened: Promise<OpenResult>;
  /** Resolves once, when the connection is closed (whoever closed it). */
  readonly closed: Promise<CloseInfo>;
  /** Whether the connection is open now. */
  isOpen(): boolean;
  /** Sends an application message: WebSocket, a JSON text frame; Socket.IO, an EVENT `[event, ...args]`. */
  send(message: unknown): Frame | undefined;
  /** Sends a raw text frame (Socket.IO: a raw Engine.IO packet). */
  sendText(text: string): Frame | undefined;
  /** Sends a WebSocket ping frame. */
  ping(payload: string): Frame | undefined;
  /**
   * Waits for the first frame from `from` on that matches; resolves `null` on timeout, or once
   * the connection is closed without a match.
   */
  waitFor(match: (frame: Frame) => boolean, timeoutMs: number, from?: number): Promise<Frame | null>;
  /** Calls `listener` with every frame recorded from now on; returns the function that stops it. */
  tap(listener: FrameTap): () => void;
  /** From now on the wire log keeps only its head, its recent frames and the pinned ones. */
  boundLog(bounds: LogBounds): void;
  /** Keeps frames `index - radius` … `index + radius` in a bounded log (evidence). */
  pin(index: number, radius?: number): void;
  /** Closes the connection (a close frame, then a hard stop); resolves when closed. */
  close(): Promise<CloseInfo>;
}

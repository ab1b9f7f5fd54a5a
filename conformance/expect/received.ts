/** The server messages of a wire log, and the shared observation as stream checks use it. */
import { Findings, at, payloadOf, skip, verdictOf } from '../../src/runner/index.js';
import type { CheckContext, Observation, Occurrence, Outcome } from '../../src/runner/index.js';
import type { Spec } from '../../src/spec/model.js';
import { validatorFor, type ValidationIssue, type ValidationResult } from '../../src/spec/validator.js';
import type { Connection, Frame } from '../../src/transport/index.js';

/** One server message: the frame that carried it, the message, its name and payload. */
export interface Received {
  frame: Frame;
  /** WebSocket: the parsed JSON; Socket.IO: `[event, ...args]`. */
  value: unknown;
  name?: string;
  /** WebSocket: the object; Socket.IO: the first argument. */
  payload: unknown;
  /** When the frame batched several events into a JSON array: this event's index in it. */
  batchIndex?: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const LIFECYCLE: Record<string, string> = { CONNECT: 'connect', CONNECT_ERROR: 'connect_error', DISCONNECT: 'disconnect' };

/**
 * The messages the server sent on a connection: WebSocket, every text frame that is JSON;
 * Socket.IO, every EVENT packet, plus the lifecycle packets the document lists as messages.
 */
export function received(spec: Spec, conn: Connection, dir: 'in' | 'out' = 'in'): Received[] {
  // Every stream check reads the same connections: read each frame once, and only new frames
  // on a later call (a wire log only grows).
  let byDir = readCache.get(conn);
  if (!byDir) readCache.set(conn, (byDir = {}));
  const cached = (byDir[dir] ??= { upTo: 0, out: [] });
  if (cached.upTo < conn.frames.length) {
    collect(spec, conn.frames.slice(cached.upTo), dir, cached.out);
    cached.upTo = conn.frames.length;
  }
  return cached.out;
}

const readCache = new WeakMap<Connection, Partial<Record<'in' | 'out', { upTo: number; out: Received[] }>>>();

function collect(spec: Spec, frames: readonly Frame[], dir: 'in' | 'out', out: Received[]): void {
  const lifecycle = new Set(spec.ext.lifecycle ?? []);
  for (const frame of frames) {
    if (frame.dir !== dir || frame.type !== 'text') continue;
    if (spec.transport === 'socket.io') {
      const packet = frame.sio?.packet;
      if ((packet === 'EVENT' || packet === 'BINARY_EVENT') && frame.message !== undefined) {
        out.push({ frame, value: frame.message, name: frame.name, payload: payloadOf(spec, frame.message) });
      } else if (packet && LIFECYCLE[packet] && lifecycle.has(LIFECYCLE[packet])) {
        const value = frame.sio?.data === undefined ? [LIFECYCLE[packet]] : [LIFECYCLE[packet], frame.sio.data];
        out.push({ frame, value, name: LIFECYCLE[packet], payload: frame.sio?.data });
      }
    } else if (frame.json) {
      const batch = frame.message;
      if (spec.ext.shape !== 'array' && Array.isArray(batch) && batch.length > 0 && batch.every(isObject)) {
        // Events batched into one array frame: envelope/json-objects reports the batching, and
        // every other check still judges each event, so batching hides no other drift.
        const direction = dir === 'in' ? 'receive' : 'send';
        const validator = validatorFor(spec);
        batch.forEach((value, batchIndex) => {
          out.push({ frame, value, name: validator.nameOf(value, direction), payload: value, batchIndex });
        });
      } else out.push({ frame, value: frame.message, name: frame.name, payload: frame.message });
    }
  }
}

const validations = new WeakMap<Received, ValidationResult>();

/** A server message's validation, computed once however many checks ask for it. */
export function validationOf(ctx: CheckContext, m: Received): ValidationResult {
  let result = validations.get(m);
  if (!result) validations.set(m, (result = ctx.validator.validate(m.value)));
  return result;
}

/**
 * Whether a validation issue is a documented timestamp in another representation: the
 * envelope/timestamps check names that drift, so envelope/fields and envelope/schema leave it
 * (one cause, one finding).
 */
export function isTimestampDrift(spec: Spec, issue: ValidationIssue): boolean {
  if (issue.keyword !== 'type' && issue.keyword !== 'format' && issue.keyword !== 'pattern') return false;
  const path = issue.path.replace(/^\$\[1\]/, '$');
  return (spec.ext.envelope?.timestamps ?? []).some((t) => path === `$.${t.field}`);
}

/**
 * The fields the documented pong must carry: the rule's `pongFields`, else what the pong's schema
 * requires beyond its name. ping-pong/app-ping judges them; envelope/schema leaves them alone.
 */
export function pongFieldsOf(spec: Spec): string[] {
  const ping = spec.ext.keepalive?.appPing;
  if (!ping) return [];
  if (ping.pongFields?.length) return ping.pongFields;
  const schema = spec.message('receive', ping.pong)?.schema as { required?: string[] } | undefined;
  const name = spec.ext.nameField?.receive ?? 'type';
  return (schema?.required ?? []).filter((f) => f !== name);
}

/** Whether a schema issue is a missing documented pong field (ping-pong/app-ping's finding). */
export function isPongField(spec: Spec, name: string | undefined, issue: ValidationIssue): boolean {
  if (issue.keyword !== 'required' || name === undefined || name !== spec.ext.keepalive?.appPing?.pong) return false;
  const path = issue.path.replace(/^\$\[1\]/, '$');
  return pongFieldsOf(spec).some((f) => path === `$.${f}`);
}

/** The observation, ready for a stream check, or the skip to return. */
export type Observed = { ok: true; obs: Observation; frames: Frame[]; messages: Received[] } | { ok: false; outcome: Outcome };

/** The observation's server frames and messages; a skip when it did not open or saw nothing. */
export async function observed(ctx: CheckContext): Promise<Observed> {
  const obs = await ctx.observation();
  const opened = await obs.conn.opened;
  if (!opened.ok) return { ok: false, outcome: skip(`the observation connection did not open (${opened.detail}); handshake/upgrade reports it`) };
  const frames = serverFrames(obs.conn);
  if (!frames.length) return { ok: false, outcome: skip(`the server sent nothing in the ${obs.observedMs} ms observed (raise --observe)`) };
  return { ok: true, obs, frames, messages: received(ctx.spec, obs.conn) };
}

/** The server frames of a connection, read once however many checks ask (and only new ones after). */
export function serverFrames(conn: Connection): Frame[] {
  let cached = inCache.get(conn);
  if (!cached) inCache.set(conn, (cached = { upTo: 0, out: [] }));
  const all = conn.frames;
  for (let i = cached.upTo; i < all.length; i++) if (all[i].dir === 'in') cached.out.push(all[i]);
  cached.upTo = all.length;
  return cached.out;
}

const inCache = new WeakMap<Connection, { upTo: number; out: Frame[] }>();

/** The skip of a stream check that found nothing it judges. */
export function nothingToJudge(obs: Observation, what: string): Outcome {
  return skip(`no ${what} in the ${obs.observedMs} ms observed (raise --observe, or check the triggers)`);
}

/** The server messages of one connection of the run. */
export interface Stream {
  conn: Connection;
  messages: Received[];
}

/**
 * Every connection of the run that received server messages (the observation first), once the
 * other checks are done: per-connection ordering rules hold on every connection, not only on the
 * observation (a lifecycle may be provoked by another check's request).
 */
export async function streams(ctx: CheckContext): Promise<{ ok: true; streams: Stream[] } | { ok: false; outcome: Outcome }> {
  const conns = await ctx.wireLog();
  const out = conns.map((conn) => ({ conn, messages: received(ctx.spec, conn) })).filter((s) => s.messages.length > 0);
  if (!out.length) return { ok: false, outcome: skip('no connection of the run received a server message') };
  return { ok: true, streams: out };
}

/** An occurrence at a frame of a connection (named unless it is the observation). */
export function atIn(conn: Connection, frame: Frame, extra: Omit<Occurrence, 'frameIndex' | 'frame' | 'connection'> = {}): Occurrence {
  return conn.label === 'observation' ? at(frame, extra) : { ...at(frame, extra), connection: conn.label };
}

/** The occurrence of a message: its frame, with a path into the batch when it was batched (`$[1].seq`). */
export function msgAt(m: Received, extra: Omit<Occurrence, 'frameIndex' | 'frame' | 'connection'> = {}, conn?: Connection): Occurrence {
  const path = extra.path && m.batchIndex !== undefined ? extra.path.replace(/^\$/, `$[${m.batchIndex}]`) : extra.path;
  const ext = path === undefined ? extra : { ...extra, path };
  return conn ? atIn(conn, m.frame, ext) : at(m.frame, ext);
}

/** The time budget of a check that reads the whole run's wire log. */
export function runWideBudget(ctx: CheckContext): number {
  return ctx.settings.observeMs + ctx.settings.timeoutMs * (ctx.spec.messages.length + 12) + 5000;
}

/**
 * The loop of a stream check over the observation: `judge` looks at one message, adds its
 * findings, and says whether the message was one it judges. The outcome is the findings, or a
 * skip when nothing was judged.
 */
export async function judgeObserved(ctx: CheckContext, what: string, judge: (m: Received, findings: Findings) => boolean): Promise<Outcome> {
  const o = await observed(ctx);
  if (!o.ok) return o.outcome;
  const findings = new Findings();
  let judged = 0;
  for (const m of o.messages) if (judge(m, findings)) judged++;
  return judged ? verdictOf(findings.list()) : nothingToJudge(o.obs, what);
}

/**
 * The loop of an ordering check: `judge` applies one rule to one connection's messages, adds
 * its findings and returns how many messages it judged. Every rule runs on every connection of
 * the run; the outcome is the findings, or the skip `nothing` when no message was judged.
 */
export async function judgeStreams<R>(ctx: CheckContext, rules: readonly R[], nothing: string, judge: (stream: Stream, rule: R, findings: Findings) => number): Promise<Outcome> {
  const s = await streams(ctx);
  if (!s.ok) return s.outcome;
  const findings = new Findings();
  let judged = 0;
  for (const stream of s.streams) for (const rule of rules) judged += judge(stream, rule, findings);
  return judged ? verdictOf(findings.list()) : skip(nothing);
}

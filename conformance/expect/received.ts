/** The server messages of a wire log, and the shared observation as stream checks use it. */
import { at, messagesOf, skip, verdictOf } from '../../src/runner/index.js';
import type { CheckContext, Findings, MessageTap, Observation, Occurrence, Outcome, Received } from '../../src/runner/index.js';
import type { Spec } from '../../src/spec/model.js';
import { validatorFor, type ValidationIssue, type ValidationResult } from '../../src/spec/validator.js';
import type { Connection, Frame } from '../../src/transport/index.js';

export type { Received } from '../../src/runner/index.js';

/**
 * The messages the server sent on a connection (of what its wire log holds): WebSocket, every
 * text frame that is JSON; Socket.IO, every EVENT packet, plus the lifecycle packets the document
 * lists as messages. For a check's own connections; the observers are judged as frames arrive
 * (`judgeObserved`, `watchObserved`, `judgeStreams`).
 */
export function received(spec: Spec, conn: Connection, dir: 'in' | 'out' = 'in'): Received[] {
  // Several checks read the same connections: read each frame once, and only new frames on a
  // later call (a wire log only grows).
  let byDir = readCache.get(conn);
  if (!byDir) readCache.set(conn, (byDir = {}));
  const cached = (byDir[dir] ??= { upTo: 0, out: [] });
  if (cached.upTo < conn.frames.length) {
    const validator = validatorFor(spec);
    for (const f of conn.frames.slice(cached.upTo)) for (const m of messagesOf(spec, validator, f, dir)) cached.out.push(m);
    cached.upTo = conn.frames.length;
  }
  return cached.out;
}

const readCache = new WeakMap<Connection, Partial<Record<'in' | 'out', { upTo: number; out: Received[] }>>>();

/** A server message's validation, computed once however many checks ask for it. */
export function validationOf(ctx: CheckContext, m: Received): ValidationResult {
  return (m.validation ??= ctx.validator.validate(m.value));
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

/** The observation once watched, or the skip to return. */
export type Watched = { ok: true; obs: Observation; serverFrames: number } | { ok: false; outcome: Outcome };

/**
 * Watches the observation (see `CheckContext.watchObservation`; call it before the check's first
 * await): `tap` gets each frame with its server messages as it arrives. Resolves once the window
 * is over, or with the skip to return when the observation did not open or the server sent nothing.
 */
export async function watchObserved(ctx: CheckContext, tap: MessageTap): Promise<Watched> {
  let serverFrames = 0;
  const obs = await ctx.watchObservation((frame, messages, conn) => {
    if (frame.dir === 'in') serverFrames++;
    tap(frame, messages, conn);
  });
  const opened = await obs.conn.opened;
  if (!opened.ok) return { ok: false, outcome: skip(`the observation connection did not open (${opened.detail}); handshake/upgrade reports it`) };
  if (!serverFrames) return { ok: false, outcome: skip(`the server sent nothing in the ${obs.observedMs} ms observed (raise --observe)`) };
  return { ok: true, obs, serverFrames };
}

/** The skip of a stream check that found nothing it judges. */
export function nothingToJudge(obs: Observation, what: string): Outcome {
  return skip(`no ${what} in the ${obs.observedMs} ms observed (raise --observe, or check the triggers)`);
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
 * A stream check over the observation: `judge` looks at each message as it arrives, adds its
 * findings, and says whether the message was one it judges. The outcome is the findings, or a
 * skip when nothing was judged.
 */
export async function judgeObserved(ctx: CheckContext, what: string, judge: (m: Received, findings: Findings) => boolean): Promise<Outcome> {
  const findings = ctx.findings();
  let judged = 0;
  const o = await watchObserved(ctx, (_, messages) => {
    for (const m of messages) if (judge(m, findings)) judged++;
  });
  if (!o.ok) return o.outcome;
  return judged ? verdictOf(findings.list()) : nothingToJudge(o.obs, what);
}

/** One rule on one connection: called with each of its server messages, says whether it judged it. */
export type StreamJudge = (m: Received) => boolean;

/**
 * An ordering check: every rule runs on every connection of the run, each message judged as it
 * arrives. `start` sets up one rule on one connection (its state lives in the closure it returns,
 * bounded by the document's own scopes). The outcome is the findings, or the skip `nothing` when
 * no message was judged.
 */
export async function judgeStreams<R>(ctx: CheckContext, rules: readonly R[], nothing: string, start: (conn: Connection, rule: R, findings: Findings) => StreamJudge): Promise<Outcome> {
  const findings = ctx.findings();
  const judges = new Map<Connection, StreamJudge[]>();
  let judged = 0;
  await ctx.watchRun((_, messages, conn) => {
    if (!messages.length) return;
    let mine = judges.get(conn);
    if (!mine) judges.set(conn, (mine = rules.map((r) => start(conn, r, findings))));
    for (const m of messages) for (const judge of mine) if (judge(m)) judged++;
  });
  if (!judges.size) return skip('no connection of the run received a server message');
  return judged ? verdictOf(findings.list()) : skip(nothing);
}

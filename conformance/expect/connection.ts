/** Waiting on a connection: for it to open, for a named message, for a close; described as evidence. */
import { at, outgoing, skip } from '../../src/runner/index.js';
import { channelBasis } from './basis.js';
import type { CheckContext, Finding, Outcome } from '../../src/runner/index.js';
import type { CloseInfo, Connection, Frame, OpenResult } from '../../src/transport/index.js';

/** How long a connection must stay open after the upgrade to count as accepted. */
export function settleMs(ctx: CheckContext): number {
  return Math.min(150, ctx.settings.timeoutMs);
}

/** A failed opening as an `actual` text. */
export function describeOpenFailure(r: Extract<OpenResult, { ok: false }>, timeoutMs: number): string {
  return r.kind === 'timeout' ? `${r.detail} within ${timeoutMs} ms` : r.detail;
}

/** A close as an `actual` text. */
export function describeClose(c: CloseInfo): string {
  return `the ${c.by} closed the connection (code ${c.code}${c.reason ? `, reason ${JSON.stringify(c.reason)}` : ''}) after ${Math.round(c.ms)} ms`;
}

/** The opened connection, or the skip an active check returns when it cannot connect at all. */
export async function openOrSkip(conn: Connection, ctx: CheckContext): Promise<{ ok: true } | { ok: false; outcome: Outcome }> {
  const r = await conn.opened;
  if (r.ok) return { ok: true };
  return { ok: false, outcome: skip(`could not connect (${describeOpenFailure(r, ctx.settings.timeoutMs)}); handshake/upgrade reports it`) };
}

/** Waits for the first server message named in `names` from frame `from` on. */
export async function waitForMessage(conn: Connection, names: Iterable<string>, from: number, timeoutMs: number): Promise<Frame | null> {
  const set = new Set(names);
  return conn.waitFor((f) => f.dir === 'in' && f.name !== undefined && set.has(f.name), timeoutMs, from);
}

/** Why an expected message did not come: the close, or silence (naming what did come). */
export function describeAbsence(conn: Connection, from: number, timeoutMs: number, closed?: CloseInfo): string {
  const other = conn.frames.filter((f) => f.index >= from && f.dir === 'in' && f.name !== undefined).map((f) => f.name!);
  const seen = other.length ? ` (received only ${[...new Set(other)].slice(0, 5).join(', ')})` : '';
  if (closed || !conn.isOpen()) return `${closed ? describeClose(closed) : 'the connection closed'} before it${seen}`;
  return `nothing within ${timeoutMs} ms${seen}`;
}

/** The close info if the connection closed, without waiting. */
export async function closedNow(conn: Connection): Promise<CloseInfo | undefined> {
  return Promise.race([conn.closed, Promise.resolve(undefined)]);
}

/** Waits up to `ms` for a close; resolves it, or undefined if the connection stayed open. */
export async function closeWithin(conn: Connection, ms: number, ctx: CheckContext): Promise<CloseInfo | undefined> {
  return Promise.race([conn.closed, ctx.sleep(ms).then(() => undefined)]);
}

/** The last frame of a connection (the close frame when the server closed). */
export function lastFrame(conn: Connection): Frame | undefined {
  return conn.frames.last();
}

/**
 * A documented request that the run has seen the server answer (a trigger of the observation
 * whose reply arrived), to ask a connection whether the server still answers. A request that
 * went unanswered is never used: its check reports it, and no other check fails because of it.
 */
export async function liveRequest(ctx: CheckContext): Promise<{ name: string; message: unknown; replies: string[] } | undefined> {
  const name = (await ctx.observation()).answered[0];
  if (name === undefined) return undefined;
  const trigger = ctx.spec.ext.triggers?.find((t) => t.message === name);
  return { name, message: outgoing(ctx.spec, name, trigger?.payload), replies: ctx.spec.replies.get(name) ?? [] };
}

/**
 * After bad input: the server keeps serving. A new connection opens and stays open, and where
 * the run has seen the server answer a documented request, that request is answered again (the
 * server did not crash or wedge). Returns the finding when it does not. Its basis is the
 * document's own address: the server it documents accepts connections there.
 */
export async function stillServing(ctx: CheckContext, what: string): Promise<Finding | undefined> {
  const conn = ctx.connect();
  try {
    return await servingOn(ctx, conn, what);
  } finally {
    await conn.close();
  }
}

async function servingOn(ctx: CheckContext, conn: Connection, what: string): Promise<Finding | undefined> {
  const r = await conn.opened;
  const basis = channelBasis(ctx.spec, ctx.primary.address);
  const finding = (message: string, expected: string, actual: string, frame?: Frame): Finding => ({
    message: `After ${what}, ${message}`,
    expected: `the server keeps serving: ${expected}`,
    actual,
    count: 1,
    occurrences: frame ? [at(frame)] : [],
    basis,
  });
  if (!r.ok) return finding('a new connection did not open', 'a new connection opens', describeOpenFailure(r, ctx.settings.timeoutMs));
  const live = await liveRequest(ctx);
  if (live) {
    const probe = conn.isOpen() ? conn.send(live.message) : undefined;
    const reply = probe ? await waitForMessage(conn, live.replies, probe.index + 1, ctx.settings.timeoutMs) : null;
    if (reply) return undefined;
    const closed = await closedNow(conn);
    return finding(`a new connection did not answer ${live.name}`, `${live.name} on a new connection gets ${live.replies.join(' or ')} within ${ctx.settings.timeoutMs} ms`, describeAbsence(conn, probe ? probe.index + 1 : 0, ctx.settings.timeoutMs, closed), lastFrame(conn));
  }
  const closed = await closeWithin(conn, settleMs(ctx), ctx);
  if (closed) return finding('a new connection was closed at once', 'a new connection opens and stays open', describeClose(closed), lastFrame(conn));
  return undefined;
}

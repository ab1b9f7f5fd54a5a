/** Judging authentication: a connection accepted as authenticated, or refused/downgraded as documented. */
import { at, fieldAt, NotJudged, payloadOf, skip } from '../../src/runner/index.js';
import type { CheckContext, Finding, Outcome } from '../../src/runner/index.js';
import type { AuthMeans, AuthRule } from '../../src/spec/extension.js';
import type { Connection, Frame, OpenResult } from '../../src/transport/index.js';
import { closeWithin, describeClose, describeOpenFailure, lastFrame, settleMs, waitForMessage } from './connection.js';

/** A means of presenting a token, in words. */
export function meansLabel(m: AuthMeans): string {
  if (m.in === 'bearer-header') return 'Authorization: Bearer header';
  if (m.in === 'query') return `?${m.name ?? 'token'}= query parameter`;
  if (m.in === 'opening-payload') return `opening message's ${m.name ?? 'token'}`;
  return `Socket.IO handshake auth.${m.name ?? 'token'}`;
}

function finding(message: string, expected: string, actual: string, frame?: Frame): Finding {
  return { message, expected, actual, count: 1, occurrences: frame ? [at(frame)] : [] };
}

/**
 * A connection the kit did not try, or one that timed out like the observation connection, says
 * nothing of authentication: the server answers nobody, and handshake/upgrade reports that.
 */
function notTried(r: OpenResult): void {
  if (!r.ok && (r.kind === 'not-tried' || r.observationUnanswered)) throw new NotJudged(`could not connect (${r.kind === 'timeout' ? `${r.detail}, as on the observation connection` : r.detail}); handshake/upgrade reports it`);
}

/** Reads the status message's fields, or the finding that it did not come. */
async function status(ctx: CheckContext, conn: Connection, rule: NonNullable<AuthRule['statusMessage']>, who: string): Promise<{ frame: Frame; authenticated: unknown; write: unknown } | Finding> {
  const frame = await waitForMessage(conn, [rule.message], 0, ctx.settings.timeoutMs);
  if (!frame && conn.isOpen() && (ctx.spec.ext.initialMessages ?? []).some((m) => m.message === rule.message)) {
    throw new NotJudged(`${rule.message}, which reports the authentication state, never arrived ${who}; handshake/initial-messages reports it`);
  }
  if (!frame) {
    return finding(`No ${rule.message} reported the authentication state ${who}`, `${rule.message} with ${rule.authenticatedField} within ${ctx.settings.timeoutMs} ms`, conn.isOpen() ? `no ${rule.message}` : 'the connection closed first', lastFrame(conn));
  }
  const payload = payloadOf(ctx.spec, frame.message);
  return { frame, authenticated: fieldAt(payload, rule.authenticatedField), write: rule.writeField ? fieldAt(payload, rule.writeField) : undefined };
}

/** A connection that presented a valid token must be accepted (and reported authenticated). */
export async function expectAccepted(ctx: CheckContext, conn: Connection, who: string): Promise<Finding[]> {
  const rule = ctx.spec.ext.auth!;
  const r = await conn.opened;
  notTried(r);
  if (!r.ok) return [finding(`A valid token ${who} was refused`, 'the connection is accepted', describeOpenFailure(r, ctx.settings.timeoutMs), lastFrame(conn))];
  if (rule.statusMessage) {
    const s = await status(ctx, conn, rule.statusMessage, who);
    if ('message' in s) return [s];
    const out: Finding[] = [];
    if (s.authenticated !== true) out.push(finding(`A valid token ${who} was not reported authenticated`, `${rule.statusMessage.authenticatedField}: true`, `${rule.statusMessage.authenticatedField}: ${JSON.stringify(s.authenticated)}`, s.frame));
    if (rule.statusMessage.writeField && s.write !== true) out.push(finding(`A valid token ${who} was not given write access`, `${rule.statusMessage.writeField}: true`, `${rule.statusMessage.writeField}: ${JSON.stringify(s.write)}`, s.frame));
    return out;
  }
  const closed = await closeWithin(conn, settleMs(ctx), ctx);
  if (closed && closed.by === 'server') return [finding(`A valid token ${who} was refused after the upgrade`, 'the connection stays open', describeClose(closed), lastFrame(conn))];
  return [];
}

/**
 * A connection without a valid token must be refused or downgraded, as `withoutToken` says
 * (`either`: a clean refusal, or an accepted connection judged as a downgrade).
 */
export async function expectRefused(ctx: CheckContext, conn: Connection, who: string): Promise<Finding[]> {
  const rule = ctx.spec.ext.auth!;
  const { timeoutMs } = ctx.settings;
  const r = await conn.opened;
  notTried(r);
  if (rule.withoutToken === 'either' && !r.ok && (r.kind === 'connect-error' || r.kind === 'closed' || (r.kind === 'http' && r.status! >= 400 && r.status! < 500))) return [];
  if (rule.withoutToken === 'refuse') {
    const expected = 'the connection is refused (HTTP 401/403 on the upgrade, a close, or a Socket.IO CONNECT_ERROR)';
    if (!r.ok) {
      if (r.kind === 'connect-error' || r.kind === 'closed' || (r.kind === 'http' && r.status! >= 400 && r.status! < 500)) return [];
      return [finding(`A connection ${who} was not cleanly refused`, expected, describeOpenFailure(r, timeoutMs), lastFrame(conn))];
    }
    const closed = await closeWithin(conn, timeoutMs, ctx);
    if (closed && closed.by === 'server') return [];
    return [finding(`A connection ${who} was accepted`, expected, `the connection was accepted and still open after ${timeoutMs} ms`, conn.frames.find((f) => f.dir === 'in'))];
  }
  if (!r.ok) return [finding(`A connection ${who} was refused instead of downgraded`, 'the connection is accepted without write access', describeOpenFailure(r, timeoutMs), lastFrame(conn))];
  if (rule.statusMessage) {
    const s = await status(ctx, conn, rule.statusMessage, who);
    if ('message' in s) return [s];
    const out: Finding[] = [];
    if (s.authenticated !== false) out.push(finding(`A connection ${who} was reported authenticated`, `${rule.statusMessage.authenticatedField}: false`, `${rule.statusMessage.authenticatedField}: ${JSON.stringify(s.authenticated)}`, s.frame));
    if (rule.statusMessage.writeField && s.write !== false) out.push(finding(`A connection ${who} was given write access`, `${rule.statusMessage.writeField}: false`, `${rule.statusMessage.writeField}: ${JSON.stringify(s.write)}`, s.frame));
    return out;
  }
  const closed = await closeWithin(conn, settleMs(ctx), ctx);
  if (closed && closed.by === 'server') return [finding(`A connection ${who} was closed instead of downgraded`, 'the connection stays open without write access', describeClose(closed), lastFrame(conn))];
  return [];
}

/** A token that is certainly wrong (never equal to the run's tokens). */
export function wrongToken(ctx: CheckContext): string {
  let t: string;
  do t = `wsconform-wrong-${Math.random().toString(36).slice(2, 10)}`;
  while (t === ctx.settings.token || t === ctx.settings.adminToken);
  return t;
}

/**
 * The skip of a check that expects a refusal, when the document's auth is optional (on only
 * when the server has a token) and the run was given none: the server may rightly be open.
 */
export function optionalAuthUnknown(ctx: CheckContext): Outcome | undefined {
  if (!ctx.spec.ext.auth?.optional || ctx.settings.token || ctx.settings.adminToken) return undefined;
  return skip('authentication is optional in this document (on only when the server is configured with a token) and no --token was given, so the server may rightly be open');
}

// Aragora: "The server replies with `ack`, `error`, or `auth_revoked` depending on the request and
// auth state." Gemini: "`chat:get-history` — Request the conversation history." → "`chat:history`
// — Conversation history response." Each send operation's `reply` lists the answers.
import { Findings, defineCheck, outgoing, skip, triggerPayload, verdictOf } from '../../src/runner/index.js';
import type { CheckContext } from '../../src/runner/index.js';
import { atIn, describeAbsence, lastFrame, openOrSkip, waitForMessage } from '../expect/index.js';

/** The client messages with documented replies this run may send: triggers first, in order. */
export function requestsToSend(ctx: Pick<CheckContext, 'spec' | 'settings'>): { send: string[]; withheld: string[] } {
  const { spec, settings } = ctx;
  const ordered = [...new Set([...(spec.ext.triggers ?? []).map((t) => t.message), ...spec.replies.keys()])].filter((m) => spec.replies.get(m)?.length);
  const admin = new Set(spec.ext.auth?.admin?.messages ?? []);
  const writes = new Set(spec.ext.auth?.writes ?? []);
  for (const t of spec.ext.triggers ?? []) (t.needs === 'admin' ? admin : t.needs === 'token' ? writes : new Set()).add(t.message);
  const send: string[] = [];
  const withheld: string[] = [];
  for (const m of ordered) {
    if (admin.has(m) && !settings.adminToken) withheld.push(m);
    else if (writes.has(m) && !settings.token && !settings.adminToken) withheld.push(m);
    else send.push(m);
  }
  return { send, withheld };
}

export default defineCheck({
  id: 'request-response/replies',
  category: 'request-response',
  level: 'MUST',
  description: 'Sends every documented client message that has replies, each on a connection of its own',
  requirement: 'Each documented client message the run may send gets one of its documented replies within the timeout.',
  quote: 'The server replies with ack, error, or auth_revoked depending on the request and auth state. (Aragora, Client → Server Messages)',
  appliesTo: (spec) => (spec.replies.size ? true : 'the document gives no client message a reply'),
  async run(ctx) {
    const { send, withheld } = requestsToSend(ctx);
    if (!send.length) return skip(`every client message with replies needs a token (${withheld.join(', ')}): give --token / --admin-token`);
    const findings = new Findings();
    const { timeoutMs } = ctx.settings;
    // One connection per request: the waits overlap, and a reply is never taken for another's.
    const outcomes = await Promise.all(
      send.map(async (name) => {
        const conn = ctx.connect();
        const open = await openOrSkip(conn, ctx);
        if (!open.ok) return 'unopened' as const;
        const replies = ctx.spec.replies.get(name)!;
        const sent = conn.isOpen() ? conn.send(outgoing(ctx.spec, name, triggerPayload(ctx.spec, name))) : undefined;
        const reply = sent ? await waitForMessage(conn, replies, sent.index + 1, timeoutMs) : null;
        if (!reply) {
          const from = sent ? sent.index + 1 : conn.frames.length;
          findings.add(`no-reply:${name}`, { message: `${name} got no documented reply`, expected: `one of ${replies.join(', ')} within ${timeoutMs} ms`, actual: sent ? describeAbsence(conn, from, timeoutMs) : 'the connection closed before it could be sent' }, lastFrame(conn) ? atIn(conn, lastFrame(conn)!) : undefined);
        }
        return 'judged' as const;
      }),
    );
    if (!outcomes.includes('judged')) return skip(`could not connect to send any request; handshake/upgrade reports it`);
    return verdictOf(findings.list());
  },
});

// Aragora: "The server replies with `ack`, `error`, or `auth_revoked` depending on the request and
// auth state." Gemini: "`chat:get-history` — Request the conversation history." → "`chat:history`
// — Conversation history response." Each send operation's `reply` lists the answers.
import { Findings, defineCheck, outgoing, skip, triggerPayload, verdictOf, distinctBases } from '../../src/runner/index.js';
import type { CheckContext } from '../../src/runner/index.js';
import { NO_PAYLOAD, type Spec } from '../../src/spec/model.js';
import { preview } from '../../src/spec/validator.js';
import { atIn, describeAbsence, lastFrame, openOrSkip, replyBasis, replyRequired, waitForMessage } from '../expect/index.js';

/** The client messages with documented replies this run may send: triggers first, in order. */
export function requestsToSend(ctx: Pick<CheckContext, 'spec' | 'settings'>): { send: string[]; withheld: string[] } {
  const { spec, settings } = ctx;
  // The keepalive ping is judged by ping-pong/app-ping, the opening's messages by
  // handshake/opening: one missing answer is one finding.
  const judgedElsewhere = elsewhere(spec);
  const ordered = [...new Set([...(spec.ext.triggers ?? []).map((t) => t.message), ...spec.replies.keys()])].filter((m) => !judgedElsewhere.has(m) && spec.replies.get(m)?.length);
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

/** Client messages whose answers other checks judge: the keepalive ping, the opening's messages. */
function elsewhere(spec: Spec): Set<string> {
  const ping = spec.ext.keepalive?.appPing?.ping;
  return new Set([...(ping ? [ping] : []), ...(spec.ext.opening?.steps ?? []).map((s) => s.send)]);
}

export default defineCheck({
  id: 'request-response/replies',
  category: 'request-response',
  level: 'MUST',
  description: 'Sends every documented client message that has replies, each on a connection of its own',
  requirement: 'Each documented client message the run may send gets one of its documented replies within the timeout.',
  basis: (spec) => distinctBases([...spec.replies.keys()].map((r) => replyBasis(spec, r))),
  appliesTo: (spec) => {
    const skipped = elsewhere(spec);
    const requests = [...spec.replies].filter(([m, r]) => r.length && !skipped.has(m));
    if (requests.length) return true;
    return spec.replies.size ? `the only client messages with a reply are the keepalive ping and the opening (${[...skipped].join(', ')}), which ping-pong/app-ping and handshake/opening judge` : 'the document gives no client message a reply';
  },
  async run(ctx) {
    const { send, withheld } = requestsToSend(ctx);
    const required = send.filter((m) => replyRequired(ctx.spec, m));
    if (!send.length) return skip(`every client message with replies needs a token (${withheld.join(', ')}): give --token / --admin-token`);
    if (!required.length) return skip(`the document promises no reply to the messages this run may send (${send.join(', ')}: replies optional)`);
    const findings = new Findings();
    const { timeoutMs } = ctx.settings;
    // One connection per request and payload form: the waits overlap, and a reply is never taken
    // for another's. Every documented form is sent (with and without an optional argument).
    const outcomes = await Promise.all(
      required.flatMap((name) =>
        payloadForms(ctx.spec, name).map(async (form) => {
          const conn = ctx.connect();
          const open = await openOrSkip(conn, ctx);
          if (!open.ok) return 'unopened' as const;
          const replies = ctx.spec.replies.get(name)!;
          const sent = conn.isOpen() ? conn.send(outgoing(ctx.spec, name, form.payload)) : undefined;
          const reply = sent ? await waitForMessage(conn, replies, sent.index + 1, timeoutMs) : null;
          if (!reply) {
            const from = sent ? sent.index + 1 : conn.frames.length;
            const last = lastFrame(conn);
            findings.add(`no-reply:${name}:${form.label}`, { basis: replyBasis(ctx.spec, name), message: `${name}${form.label ? ` (${form.label})` : ''} got no documented reply`, expected: `one of ${replies.join(', ')} within ${timeoutMs} ms`, actual: sent ? describeAbsence(conn, from, timeoutMs) : 'the connection closed before it could be sent' }, last ? atIn(conn, last) : undefined);
          }
          // Done with it: its slot goes to the next request (the frames stay in the wire log).
          await conn.close();
          return 'judged' as const;
        }),
      ),
    );
    if (!outcomes.includes('judged')) return skip(`could not connect to send any request; handshake/upgrade reports it`);
    return verdictOf(findings.list());
  },
});

/**
 * The payload forms of a client message a run sends: the trigger's payload when the document
 * gives one, else every documented example (a form without an argument included), else none.
 */
export function payloadForms(spec: Spec, name: string): { label: string; payload: unknown }[] {
  const trigger = triggerPayload(spec, name);
  if (trigger !== undefined) return [{ label: '', payload: trigger }];
  const examples = spec.message('send', name)?.examples ?? [];
  if (examples.length <= 1) return [{ label: '', payload: examples[0] }];
  return examples.map((payload) => ({ label: payload === NO_PAYLOAD ? 'without an argument' : `payload ${preview(payload, 40)}`, payload }));
}

// Kiwi, "Client Commands / Ping": "{"type": "ping"} — Response: {"event": "pong"}". A reply is an
// answer: it has no reason to arrive before the request it answers.
import { at, defineCheck, verdictOf, distinctBases } from '../../src/runner/index.js';
import type { Spec } from '../../src/spec/model.js';
import { nothingToJudge, watchObserved, replyBasis } from '../expect/index.js';

/**
 * Server messages that are only ever replies, by the requests (among the document's triggers,
 * which the observation sends) they answer: named in a trigger's reply, and in no rule that
 * makes them spontaneous (initial, lifecycle, accumulation, privileged, refusals, bad-input
 * answers). With an envelope, only the exempt messages (control replies) qualify. Replies to
 * requests the run never sends are left alone: some are broadcast to every client (Gemini's
 * system:broadcast answers one admin's monitoring:broadcast and reaches everyone).
 */
export function replyOnlyMessages(spec: Spec): Map<string, string[]> {
  const triggers = new Set((spec.ext.triggers ?? []).map((t) => t.message));
  const ext = spec.ext;
  const spontaneous = new Set<string>([
    ...(ext.initialMessages ?? []).map((m) => m.message),
    ...(ext.lifecycles ?? []).flatMap((l) => [l.start, ...l.end, ...(l.during ?? [])]),
    ...(ext.accumulations ?? []).flatMap((a) => [a.message, ...(a.final ? [a.final.message] : [])]),
    ...(ext.auth?.admin?.privilegedEvents ?? []),
    ...(ext.auth?.admin?.refusals ?? []),
    ...(ext.auth?.refusals ?? []),
    ...(ext.auth?.statusMessage ? [ext.auth.statusMessage.message] : []),
    ...(ext.robustness?.invalidJson?.messages ?? []),
    ...(ext.robustness?.unknownMessage?.messages ?? []),
    ...(ext.sequences ?? []).flatMap((s) => s.messages ?? []),
    ...(ext.lifecycle ?? []),
  ]);
  const exempt = ext.envelope ? new Set(ext.envelope.exempt ?? []) : undefined;
  const requests = new Map<string, string[]>();
  for (const [request, replies] of spec.replies) {
    if (!triggers.has(request)) continue;
    for (const r of replies) {
      if (spontaneous.has(r) || (exempt && !exempt.has(r))) continue;
      requests.set(r, [...(requests.get(r) ?? []), request]);
    }
  }
  return requests;
}

export default defineCheck({
  id: 'ordering/reply-after-request',
  category: 'ordering',
  level: 'MUST',
  description: 'Orders every reply-only message after the requests it answers',
  requirement: 'A message that is only ever a reply (e.g. pong) arrives only after the client sent a request it answers.',
  basis: (spec) => distinctBases([...new Set([...replyOnlyMessages(spec).values()].flat())].map((r) => replyBasis(spec, r))),
  appliesTo: (spec) => (replyOnlyMessages(spec).size ? true : 'no trigger of the document has a reply that is only ever a reply'),
  async run(ctx) {
    const requestsOf = replyOnlyMessages(ctx.spec);
    const sent = new Set<string>();
    const findings = ctx.findings();
    let judged = 0;
    const o = await watchObserved(ctx, (f) => {
      if (f.name === undefined) return;
      if (f.dir === 'out') {
        sent.add(f.name);
        return;
      }
      const requests = requestsOf.get(f.name);
      if (!requests) return;
      judged++;
      if (!requests.some((r) => sent.has(r))) {
        findings.add(`early:${f.name}`, { message: `${f.name} arrived before its request`, expected: `${f.name} only after the client sent ${requests.join(' or ')}`, actual: `${f.name} with none of them sent yet` }, at(f));
      }
    });
    if (!o.ok) return o.outcome;
    if (!judged) return nothingToJudge(o.obs, 'reply-only message');
    return verdictOf(findings.list());
  },
});

// Where a document says the server sends its events to every connected client (Aragora: "The
// server broadcasts all events to all connected clients"), two clients connected at the same
// time receive the same stream events.
import { Findings, at, basisOf, defineCheck, skip, verdictOf } from '../../src/runner/index.js';
import type { Spec } from '../../src/spec/model.js';
import { openOrSkip, received, type Received } from '../expect/index.js';

/** Whether a message is a stream event the rule covers: not an initial message, not a reply, not a lifecycle packet. */
function broadcastable(spec: Spec): (m: Received) => boolean {
  const rule = spec.ext.broadcast!;
  if (rule.messages) {
    const only = new Set(rule.messages);
    return (m) => m.name !== undefined && only.has(m.name);
  }
  const excluded = new Set([
    ...(spec.ext.initialMessages ?? []).map((i) => i.message),
    ...[...spec.replies.values()].flat(),
    ...(spec.ext.lifecycle ?? []),
    ...(spec.ext.envelope?.exempt ?? []),
  ]);
  return (m) => m.name !== undefined && !excluded.has(m.name);
}

export default defineCheck({
  id: 'ordering/broadcast',
  category: 'ordering',
  level: 'MUST',
  description: 'Connects two clients at once and compares the stream events each receives',
  requirement: 'Where the document says events are broadcast, every stream event one client receives while both are connected also reaches the other.',
  basis: (spec) => [basisOf(spec.ext.broadcast, 'x-wsconform.broadcast')],
  appliesTo: (spec) => (spec.ext.broadcast ? true : 'the document does not say events reach every client'),
  async run(ctx) {
    const clients = [ctx.connect(), ctx.connect()];
    const opened = await Promise.all(clients.map((c) => openOrSkip(c, ctx)));
    for (const o of opened) if (!o.ok) return o.outcome;
    // Judged: what each client received once both were open, between the first and the last
    // event the other client received too. Before that range the other may not have been
    // registered yet (or got a replay of older events); after it, an event may still be on its
    // way. Inside it the other client demonstrably received events before and after, so an
    // event it lacks is one it was not sent: no clock is involved.
    const starts = clients.map((c) => c.frames.length);
    await ctx.sleep(Math.max(500, Math.min(ctx.settings.observeMs, 3000)));
    const covered = broadcastable(ctx.spec);
    const text = (m: Received) => JSON.stringify(m.value);
    const all = clients.map((c) => received(ctx.spec, c).filter(covered));
    const seen = all.map((list) => new Set(list.map(text)));
    const findings = new Findings();
    let judged = 0;
    all.forEach((list, i) => {
      const other = 1 - i;
      const window = list.filter((m) => m.frame.index >= starts[i]);
      const first = window.findIndex((m) => seen[other].has(text(m)));
      if (first < 0) return;
      let last = window.length - 1;
      while (!seen[other].has(text(window[last]))) last--;
      for (const m of window.slice(first, last + 1)) {
        judged++;
        if (seen[other].has(text(m))) continue;
        findings.add(`missing:${i}`, {
          message: `A stream event reached client ${i + 1} but not client ${other + 1}`,
          expected: 'every stream event reaches every connected client',
          actual: `${m.name} reached client ${i + 1} only, between events both received`,
        }, { ...at(m.frame), connection: clients[i].label });
      }
    });
    if (!judged) return skip('the two clients received no stream event in common while both were connected (raise --observe, or check the triggers)');
    return verdictOf(findings.list());
  },
});

// Where a document says the server sends its events to every connected client (Aragora: "The
// server broadcasts all events to all connected clients"), two clients connected at the same
// time receive the same stream events.
import { Findings, at, basisOf, defineCheck, skip, verdictOf } from '../../src/runner/index.js';
import type { Spec } from '../../src/spec/model.js';
import type { Connection } from '../../src/transport/index.js';
import { messagesOf } from '../../src/runner/index.js';
import { validatorFor } from '../../src/spec/validator.js';
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

/**
 * Compares what two clients received: for each, the events between the first and the last one
 * the other received too. Before that range the other may not have been registered yet (or got a
 * replay of older events); after it, an event may still be on its way. Inside it the other
 * client demonstrably received events before and after, so an event it lacks is one it was not
 * sent: no clock is involved. Returns how many events were judged.
 */
function compare(spec: Spec, pair: [Connection, Connection], names: [string, string], starts: [number, number], findings: Findings): number {
  return compareLists(spec, pair.map((c) => received(spec, c)) as [Received[], Received[]], pair, names, starts, findings);
}

/**
 * Compares two observers (`--clients`), whose wire logs are bounded: their first frames with each
 * other, and their most recent ones with each other (the frames in between were judged as they
 * arrived by the other checks, and are no longer held).
 */
function compareObservers(spec: Spec, pair: [Connection, Connection], names: [string, string], findings: Findings): number {
  const validator = validatorFor(spec);
  const runs = pair.map((c) => c.frames.runs().map((run) => run.flatMap((f) => [...messagesOf(spec, validator, f)])));
  const [a, b] = runs;
  if (!a.length || !b.length) return 0;
  let judged = compareLists(spec, [a[0], b[0]], pair, names, [0, 0], findings);
  if (a.length > 1 && b.length > 1) judged += compareLists(spec, [a[a.length - 1], b[b.length - 1]], pair, names, [0, 0], findings);
  return judged;
}

function compareLists(spec: Spec, lists: [Received[], Received[]], pair: [Connection, Connection], names: [string, string], starts: [number, number], findings: Findings): number {
  const covered = broadcastable(spec);
  const text = (m: Received) => JSON.stringify(m.value);
  const all = lists.map((l) => l.filter(covered));
  const seen = all.map((list) => new Set(list.map(text)));
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
      findings.add(`missing:${names[i]}:${names[other]}`, {
        message: `A stream event reached ${names[i]} but not ${names[other]}`,
        expected: 'every stream event reaches every connected client',
        actual: `${m.name} reached ${names[i]} only, between events both received`,
      }, { ...at(m.frame), connection: pair[i].label });
    }
  });
  return judged;
}

export default defineCheck({
  id: 'ordering/broadcast',
  category: 'ordering',
  level: 'MUST',
  description: 'Connects two clients at once and compares the stream events each receives (with --clients, every observer too)',
  requirement: 'Where the document says events are broadcast, every stream event one client receives while both are connected also reaches the other.',
  basis: (spec) => [basisOf(spec.ext.broadcast, 'x-wsconform.broadcast')],
  appliesTo: (spec) => (spec.ext.broadcast ? true : 'the document does not say events reach every client'),
  async run(ctx) {
    const clients = [ctx.connect(), ctx.connect()] as [Connection, Connection];
    const opened = await Promise.all(clients.map((c) => openOrSkip(c, ctx)));
    for (const o of opened) if (!o.ok) return o.outcome;
    const starts = clients.map((c) => c.frames.length) as [number, number];
    await ctx.sleep(Math.max(500, Math.min(ctx.settings.observeMs, 3000)));
    const findings = new Findings();
    let judged = compare(ctx.spec, clients, ['client 1', 'client 2'], starts, findings);
    // With --clients, the observers listened through one window: each is compared with the observation.
    const obs = await ctx.observation();
    for (const client of obs.clients ?? []) judged += compareObservers(ctx.spec, [obs.conn, client], ['the observation', client.label], findings);
    if (!judged) return skip('the clients received no stream event in common while connected together (raise --observe, or check the triggers)');
    return verdictOf(findings.list());
  },
});

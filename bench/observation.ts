/**
 * Observation throughput: events/s that the runner's observation path receives and judges (the
 * transport's WebSocket connection with its bounded wire log and the spec's names, the run's
 * stream hub, and a watching check that validates every message as envelope/schema does), from a bare `ws` server in a child
 * process blasting pre-serialised valid kiwi frames (socket corked per batch, so that the
 * server is not the bottleneck), divided by a bare `ws` client's receive rate from the same
 * server.
 */
import { StreamHub } from '../src/runner/stream.js';
import { loadSpec } from '../src/spec/load.js';
import { validatorFor } from '../src/spec/validator.js';
import { connect } from '../src/transport/index.js';
import { bareClient } from './bare.js';
import { startHost } from './host.js';
import { measure, result, type BenchResult } from './measure.js';

/** Runs the observation benchmark. */
export async function benchObservation(): Promise<BenchResult[]> {
  const spec = await loadSpec('kiwi');
  const validator = validatorFor(spec);
  const nameOf = (m: unknown, d: 'receive' | 'send') => validator.nameOf(m, d);
  const host = await startHost('kiwi', 3000, true);
  const url = host.blasterUrl!;
  const n = host.frames;
  const closing: Promise<unknown>[] = [];
  let invalid = 0;
  const observe = async () => {
    const hub = new StreamHub(spec, validator, 0);
    const conn = connect('websocket', { url, timeoutMs: 10_000, nameOf, label: 'observation' });
    hub.add(conn, 'observation');
    let judged = 0;
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    hub.watch('observation', (_, messages) => {
      for (const m of messages) {
        if (!(m.validation ??= validator.validate(m.value)).valid) invalid++;
        if (++judged === n) done();
      }
    });
    hub.seal();
    const timer = setTimeout(done, 60_000);
    await all;
    clearTimeout(timer);
    if (judged < n) throw new Error(`the observation connection judged ${judged} of ${n} frames`);
    closing.push(conn.close());
  };
  try {
    await observe(); // warm up: validators compiled, code optimised
    await bareClient(url, n);
    const [subject, baseline, parsing] = await measure([observe, () => bareClient(url, n), () => bareClient(url, n, true)], 7);
    await Promise.all(closing);
    if (invalid) throw new Error(`${invalid} frames of the observation did not validate`);
    return [
      result({
        name: 'observation',
        figure: 'events/s received and judged by the runner (wire log, hub, validation)',
        value: n / subject,
        unit: 'events/s',
        baselineName: 'bare ws client, same server',
        baseline: n / baseline,
        goal: { on: 'ratio', op: '>=', target: 0.5 },
        note: `${n} valid kiwi frames (${(host.bytes / n).toFixed(0)} B avg) from a bare ws server in a child process, socket corked per 64 frames; median of 7`,
      }),
      result({
        name: 'observation-vs-parse',
        figure: 'events/s received and judged by the runner (wire log, hub, validation)',
        value: n / subject,
        unit: 'events/s',
        baselineName: 'bare ws client that also runs JSON.parse on every frame',
        baseline: n / parsing,
        goal: { on: 'ratio', op: '>=', target: 0.8 },
        note: 'issue 12: the least any checker pays is the parse',
      }),
    ];
  } finally {
    await host.close();
  }
}

/**
 * Observation throughput: events/s that the runner's observation path receives and validates
 * (the transport's WebSocket connection with its wire log and the spec's names, then every
 * message validated as the envelope/schema check does), from a bare `ws` server in a child
 * process blasting pre-serialised valid kiwi frames (socket corked per batch, so that the
 * server is not the bottleneck), divided by a bare `ws` client's receive rate from the same
 * server.
 */
import { received } from '../conformance/expect/received.js';
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
    const conn = connect('websocket', { url, timeoutMs: 10_000, nameOf, label: 'observation' });
    const last = await conn.waitFor((f) => f.index === n - 1, 60_000);
    if (!last) throw new Error(`the observation connection received ${conn.frames.length} of ${n} frames`);
    for (const m of received(spec, conn)) if (!validator.validate(m.value).valid) invalid++;
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
        figure: 'events/s received, logged and validated by the runner',
        value: n / subject,
        unit: 'events/s',
        baselineName: 'bare ws client, same server',
        baseline: n / baseline,
        goal: { on: 'ratio', op: '>=', target: 0.5 },
        note: `${n} valid kiwi frames (${(host.bytes / n).toFixed(0)} B avg) from a bare ws server in a child process, socket corked per 64 frames; median of 7`,
      }),
      result({
        name: 'observation-vs-parse',
        figure: 'events/s received, logged and validated by the runner',
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

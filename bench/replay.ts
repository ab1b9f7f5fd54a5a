/**
 * Replay throughput: events/s from the reference server (instant mode, a long kiwi fixture) to
 * `ws` clients, divided by a bare `ws` server sending the same pre-serialised frames to the
 * same clients. The servers run in one child process (so the clients' CPU is not theirs), one
 * at a time, interleaved.
 */
import { bareClient } from './bare.js';
import { startHost } from './host.js';
import { measure, result, type BenchResult } from './measure.js';
import { formatValue } from './table.js';

/** One replay figure: `clients` clients each receive the fixture `repeat` times over. */
async function replayFigure(name: string, clients: number, repeat: number, repeats: number, goal: number): Promise<BenchResult[]> {
  const host = await startHost('kiwi', repeat, true);
  try {
    const all = (url: string) => () => Promise.all(Array.from({ length: clients }, () => bareClient(url, host.frames)));
    const urls = [host.url, host.bareUrl!, host.blasterUrl!];
    for (const url of urls) await all(url)(); // warm every server once
    const [subject, baseline, corked] = await measure(urls.map(all), repeats);
    const events = clients * host.frames;
    const note = `kiwi fixture × ${repeat}: ${host.frames} frames (${(host.bytes / host.frames).toFixed(0)} B avg) per client; median of ${repeats}`;
    return [
      result({
      name,
      figure: `events/s, reference server → ${clients} ws client${clients > 1 ? 's' : ''}`,
      value: events / subject,
      unit: 'events/s',
      baselineName: 'bare ws server, same frames, one ws.send each',
      baseline: events / baseline,
      goal: { on: 'ratio', op: '>=', target: goal },
      note,
      }),
      // The ceiling: as fast as ws can send (issue 12: at least half of it).
      result({
        name: `${name}-ceiling`,
        figure: `events/s, reference server → ${clients} ws client${clients > 1 ? 's' : ''}`,
        value: events / subject,
        unit: 'events/s',
        baselineName: 'bare ws server, same frames, socket corked per 64 frames',
        baseline: events / corked,
        goal: { on: 'ratio', op: '>=', target: 0.5 },
        note: `the same runs; ${formatValue(events / corked, 'events/s')} is what ws sends at best`,
      }),
    ];
  } finally {
    await host.close();
  }
}

/** Runs the replay benchmarks: one client, then 100 concurrent clients. */
export async function benchReplay(): Promise<BenchResult[]> {
  return [...(await replayFigure('replay-1', 1, 2000, 9, 0.8)), ...(await replayFigure('replay-100', 100, 50, 9, 0.7))];
}

import { describe, expect, it } from 'vitest';
import { Findings } from '../../src/runner/index.js';
import { StallWatch } from '../../src/runner/stalls.js';
import { startReferenceServer } from '../../reference-server/index.js';
import { Beats } from '../../conformance/expect/index.js';
import type { Frame } from '../../src/transport/index.js';
import { KEEPALIVE, result, run } from './suite.js';

/** Holds this process's event loop for `ms` (what a starved CI runner looks like to the runner). */
function hold(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}
const tick = () => new Promise((r) => setTimeout(r, 50));
const ping = (at: number): Frame => ({ index: 0, at, dir: 'in', type: 'ping', bytes: 0 });

describe('the runner does not blame the server for its own stalls', () => {
  it('StallWatch records a stretch in which the event loop did not run, and only inside the asked window', async () => {
    const w = new StallWatch();
    w.start();
    try {
      await tick();
      const before = performance.now();
      hold(300);
      await tick();
      const after = performance.now();
      expect(w.heldUpMs(before - 5, after)).toBeGreaterThanOrEqual(250);
      expect(w.heldUpMs(before - 5, after)).toBeLessThanOrEqual(after - before + 5);
      expect(w.heldUpMs(after, after + 1000)).toBe(0);
      expect(w.heldUpMs(before - 1000, before - 500)).toBe(0);
    } finally {
      w.stop();
    }
  });

  it('a gap is late only by what is left once the runner’s own stall is deducted', () => {
    const judge = (held: number) => {
      const findings = new Findings();
      const beats = new Beats(findings, 750, 500, 'a ping frame', () => held);
      beats.beat(ping(100));
      beats.beat(ping(1500));
      return beats.end(0, 1600).list().map((f) => f.actual);
    };
    expect(judge(0)).toEqual(['1400 ms without one']);
    expect(judge(100)).toEqual(['1400 ms without one (less 100 ms in which the runner itself was held up: 1300 ms)']);
    expect(judge(700)).toEqual([]);
  });

  it('ping-pong/server-keepalive passes when the runner (and the in-process server) stall for longer than the tolerance, and still fails a server that stops', async () => {
    const server = await startReferenceServer({ protocol: 'coda', port: 0, instant: true, keepaliveIntervalMs: KEEPALIVE });
    const check = 'ping-pong/server-keepalive';
    try {
      const running = run('coda', server.url, { only: [check], observeMs: 2000, keepaliveIntervalMs: KEEPALIVE, timeoutMs: 3000 });
      // Well inside the observation: 900 ms held, past the 750 ms the check allows between pings.
      await new Promise((r) => setTimeout(r, 600));
      hold(900);
      expect([result(await running, check).verdict, result(await running, check).findings.map((f) => f.actual)]).toEqual(['pass', []]);
    } finally {
      await server.close();
    }
    const stopped = await startReferenceServer({ protocol: 'coda', port: 0, instant: true, keepaliveIntervalMs: KEEPALIVE, faults: ['no-keepalive'] });
    try {
      const running = run('coda', stopped.url, { only: [check], observeMs: 2000, keepaliveIntervalMs: KEEPALIVE, timeoutMs: 3000 });
      await new Promise((r) => setTimeout(r, 600));
      hold(900);
      expect(result(await running, check).verdict).toBe('fail');
    } finally {
      await stopped.close();
    }
  });
});

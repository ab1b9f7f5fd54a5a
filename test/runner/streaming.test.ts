// Judging as frames arrive: an observation longer than its bounded wire log still judges every
// frame, keeps the evidence of what it found, and says how much of the log it let go.
import { afterEach, describe, expect, it } from 'vitest';
import { StreamHub } from '../../src/runner/stream.js';
import { loadSpec } from '../../src/spec/load.js';
import { validatorFor } from '../../src/spec/validator.js';
import { FrameLog, OBSERVER_BOUNDS } from '../../src/transport/log.js';
import type { Connection, Frame, FrameTap } from '../../src/transport/types.js';
import { kiwiEvents, wsServer, type TestServer } from './servers.js';
import { result, run } from './suite.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A connection that is only a wire log fed by hand. */
function fakeConnection(label: string): { conn: Connection; push(f: Frame): void } {
  const log = new FrameLog();
  const taps: FrameTap[] = [];
  const conn = {
    label,
    frames: log,
    tap: (t: FrameTap) => (taps.push(t), () => undefined),
    boundLog: (b: Parameters<FrameLog['bound']>[0]) => log.bound(b),
    pin: (i: number, r?: number) => log.pin(i, r),
  } as unknown as Connection;
  return {
    conn,
    push(f) {
      log.push(f);
      for (const t of taps) t(f);
    },
  };
}

const event = (i: number) => JSON.stringify({ event: 'LLM_TOKEN', data: { token: `t${i}` }, timestamp: 1709000000 + i, source: 'llm' });
const textFrame = (index: number): Frame => {
  const text = event(index);
  return { index, at: index, dir: 'in', type: 'text', text, bytes: text.length, json: true, message: JSON.parse(text), name: 'LLM_TOKEN' };
};

describe('the stream hub', () => {
  it('hands every frame to a check that watches from the start, while the sealed log keeps its bounds and the pins', async () => {
    const spec = await loadSpec('kiwi');
    const hub = new StreamHub(spec, validatorFor(spec), 1);
    const { conn, push } = fakeConnection('observation');
    hub.add(conn, 'observation');
    let seen = 0;
    hub.watch('observation', (_, messages) => (seen += messages.length));
    hub.seal();
    const n = OBSERVER_BOUNDS.head + OBSERVER_BOUNDS.recent + 10_000;
    for (let i = 0; i < n; i++) {
      push(textFrame(i));
      if (i === 5000) hub.pin({ frameIndex: 5000 });
    }
    expect(seen).toBe(n);
    expect(hub.serverFrames(conn)).toBe(n);
    expect(hub.names().get('LLM_TOKEN')).toBe(n);
    expect(conn.frames.dropped).toBeGreaterThan(0);
    expect([4999, 5000, 5001].map((i) => conn.frames.get(i)?.index)).toEqual([4999, 5000, 5001]);
    expect(conn.frames.get(5003)).toBeUndefined();
  });

  it('refuses a check that begins to watch once frames were dropped (the kit\'s error, not a verdict)', async () => {
    const spec = await loadSpec('kiwi');
    const hub = new StreamHub(spec, validatorFor(spec), 0);
    const { conn, push } = fakeConnection('observation');
    hub.add(conn, 'observation');
    hub.seal();
    for (let i = 0; i < OBSERVER_BOUNDS.head + OBSERVER_BOUNDS.recent + 100; i++) push(textFrame(i));
    expect(() => hub.watch('observation', () => undefined)).toThrow(/after its wire log had dropped frames/);
  });
});

describe('an observation longer than its wire log', () => {
  it('judges every frame, keeps the evidence and its transcript, and reports what the log let go', async () => {
    const total = 20_000;
    const bad = 15_000;
    server = await wsServer('/api/events', (ws) => {
      for (let i = 0; i < total; i++) {
        // One event far beyond what the bounded log holds breaks its schema: a number for the token.
        ws.send(i === bad ? JSON.stringify({ event: 'LLM_TOKEN', data: { token: 42 }, timestamp: 1709000000 + i, source: 'llm' }) : event(i));
      }
      for (const e of kiwiEvents(1)) ws.send(JSON.stringify(e));
    });
    // The server sends its 20,000 frames synchronously in this process: on a loaded machine the
    // handshake may wait behind them longer than the suite's fast 500 ms timeout.
    const report = await run('kiwi', server.url, { only: ['envelope/schema', 'envelope/json-objects'], observeMs: 3000, timeoutMs: 5000, contextFrames: 2 });
    // Every event, and the close frame that answers the kit's.
    expect(report.observation!.serverFrames).toBe(total + 3);
    expect(report.observation!.framesKept).toBeLessThan(OBSERVER_BOUNDS.head + OBSERVER_BOUNDS.recent + 100);
    const schema = result(report, 'envelope/schema');
    expect(schema.verdict).toBe('fail');
    expect(schema.findings).toHaveLength(1);
    const [o] = schema.findings[0].occurrences;
    expect(o.frame).toContain('"token":42');
    expect(o.transcript!.map((t) => t.frameIndex)).toEqual([o.frameIndex! - 2, o.frameIndex! - 1, o.frameIndex!, o.frameIndex! + 1, o.frameIndex! + 2]);
    expect(o.transcript![3].frame).toBe(event(bad + 1));
    expect(result(report, 'envelope/json-objects').verdict).toBe('pass');
  });
});

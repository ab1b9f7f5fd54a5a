import { describe, expect, it } from 'vitest';
import { FrameLog } from '../../src/transport/log.js';
import type { Frame } from '../../src/transport/types.js';

const frame = (index: number): Frame => ({ index, at: index, dir: 'in', type: 'text', text: `f${index}`, bytes: 2 });
function filled(n: number, log = new FrameLog()): FrameLog {
  for (let i = log.length; i < n; i++) log.push(frame(i));
  return log;
}
const indexes = (frames: Iterable<Frame>) => [...frames].map((f) => f.index);

describe('the wire log', () => {
  it('keeps every frame until it is bounded', () => {
    const log = filled(50);
    expect(log.length).toBe(50);
    expect(log.dropped).toBe(0);
    expect(log.get(49)?.text).toBe('f49');
    expect(log.find((f) => f.index % 7 === 0, 10)?.index).toBe(14);
    expect(indexes(log.filter((f) => f.index > 45))).toEqual([46, 47, 48, 49]);
    expect(indexes(log.slice(3, 6))).toEqual([3, 4, 5]);
    expect(log.runs()).toHaveLength(1);
  });

  it('bounded, keeps its head, its recent frames and its pins, and counts what it dropped', () => {
    const log = filled(10);
    log.bound({ head: 4, recent: 8 });
    filled(30, log);
    // Pins: one frame in the window now, with a radius reaching frames not yet recorded.
    log.pin(25, 1);
    filled(100, log);
    expect(log.length).toBe(100);
    expect(indexes(log)).toEqual([0, 1, 2, 3, 24, 25, 26, 92, 93, 94, 95, 96, 97, 98, 99]);
    expect(log.dropped).toBe(100 - 15);
    expect(log.get(5)).toBeUndefined();
    expect(log.get(25)?.text).toBe('f25');
    expect(log.get(97)?.text).toBe('f97');
    expect(log.last()?.index).toBe(99);
    expect(indexes(log.filter(() => true, 25))).toEqual([25, 26, 92, 93, 94, 95, 96, 97, 98, 99]);
    expect(log.runs().map((r) => [r[0].index, r[r.length - 1].index])).toEqual([[0, 3], [24, 26], [92, 99]]);
  });

  it('bounded while its head is not full, fills the head first', () => {
    const log = new FrameLog();
    log.bound({ head: 3, recent: 2 });
    filled(10, log);
    expect(indexes(log)).toEqual([0, 1, 2, 8, 9]);
  });

  it('does not grow with a long stream (the window is compacted)', () => {
    const log = new FrameLog();
    log.bound({ head: 16, recent: 64 });
    filled(200_000, log);
    expect([...log]).toHaveLength(80);
    expect((log as unknown as { recent: Frame[] }).recent.length).toBeLessThan(64 + 4096 * 2 + 1);
  });
});

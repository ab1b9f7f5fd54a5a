/**
 * A connection's wire log. By default it keeps every frame. A bounded log (an observation of
 * minutes, a firehose) keeps the first frames, a window of the most recent ones and the frames
 * pinned as evidence, and counts what it dropped: memory stays flat however long it listens,
 * while the stream checks, which judge each frame as it arrives, have already seen every one.
 */
import type { Frame } from './types.js';

/** What a bounded log keeps besides its pins. */
export interface LogBounds {
  /** The first frames of the connection (the handshake, the opening, initial messages). */
  head: number;
  /** The most recent frames. */
  recent: number;
}

/** The bounds the runner gives its observers. */
export const OBSERVER_BOUNDS: LogBounds = { head: 256, recent: 4096 };

/** A read-only view of a wire log. Frames are addressed by their index, which never changes. */
export interface FrameView extends Iterable<Frame> {
  /** How many frames were recorded: the next frame's index. */
  readonly length: number;
  /** How many of them the log no longer holds (a bounded log; 0 otherwise). */
  readonly dropped: number;
  /** The frame at `index`, if the log still holds it. */
  get(index: number): Frame | undefined;
  /** The last frame recorded. */
  last(): Frame | undefined;
  /** The first frame held from index `from` on that matches. */
  find(match: (frame: Frame) => boolean, from?: number): Frame | undefined;
  /** The frames held from index `from` on that match, in order. */
  filter(match: (frame: Frame) => boolean, from?: number): Frame[];
  /** The frames held with `from <= index < to`, in order. */
  slice(from?: number, to?: number): Frame[];
  /** The frames held, in runs of consecutive indexes (one run when nothing was dropped). */
  runs(): Frame[][];
}

/** The wire log of one connection. */
export class FrameLog implements FrameView {
  /** Frames 0 … head.length - 1 (all of them while the log is unbounded). */
  private readonly head: Frame[] = [];
  /** Dropped from the window but pinned: kept, in index order. */
  private readonly kept: Frame[] = [];
  /** The recent window: frames recentStart … length - 1, from `offset` on in `recent`. */
  private recent: Frame[] = [];
  private offset = 0;
  private recentStart = 0;
  private bounds?: LogBounds;
  /** Indexes to keep when they leave the window. */
  private readonly pins = new Set<number>();
  private count = 0;
  private droppedCount = 0;

  get length(): number {
    return this.count;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  /** Whether the log keeps only its bounds and pins. */
  get bounded(): boolean {
    return this.bounds !== undefined;
  }

  /** Appends the next frame (its index must be `length`). */
  push(frame: Frame): void {
    this.count++;
    if (!this.bounds) {
      this.head.push(frame);
      return;
    }
    if (this.head.length < this.bounds.head && this.recentStart === this.head.length && this.recent.length === this.offset) {
      this.head.push(frame);
      this.recentStart = this.count;
      return;
    }
    this.recent.push(frame);
    if (this.recent.length - this.offset > this.bounds.recent) this.evict();
  }

  /** From now on keeps only the first `head` frames, the `recent` last ones and the pinned ones. */
  bound(bounds: LogBounds): void {
    if (this.bounds) return;
    this.bounds = bounds;
    // What is held so far beyond the head moves to the window (and out of it, unless pinned).
    const beyond = this.head.splice(bounds.head);
    this.recentStart = this.head.length;
    this.recent = beyond;
    this.offset = 0;
    while (this.recent.length - this.offset > bounds.recent) this.evict();
  }

  /** Keeps the frames from `index - radius` to `index + radius` (evidence), wherever the window is. */
  pin(index: number, radius = 0): void {
    if (!this.bounds) return;
    for (let i = Math.max(0, index - radius); i <= index + radius; i++) if (i >= this.oldestInWindow()) this.pins.add(i);
  }

  private oldestInWindow(): number {
    return this.recentStart + this.offset;
  }

  private evict(): void {
    const frame = this.recent[this.offset];
    this.recent[this.offset] = undefined as unknown as Frame;
    this.offset++;
    if (this.pins.size && this.pins.delete(frame.index)) this.kept.push(frame);
    else this.droppedCount++;
    // Compact now and then: the window's array does not grow with the frames it let go.
    if (this.offset >= 4096 && this.offset * 2 >= this.recent.length) {
      this.recent = this.recent.slice(this.offset);
      this.recentStart += this.offset;
      this.offset = 0;
    }
  }

  get(index: number): Frame | undefined {
    if (index < 0 || index >= this.count) return undefined;
    if (index < this.head.length) return this.head[index];
    const w = this.oldestInWindow();
    if (index >= w) return this.recent[this.offset + index - w];
    // Binary search among the pinned frames.
    let lo = 0;
    let hi = this.kept.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const i = this.kept[mid].index;
      if (i === index) return this.kept[mid];
      if (i < index) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  last(): Frame | undefined {
    return this.get(this.count - 1);
  }

  *[Symbol.iterator](): Iterator<Frame> {
    yield* this.head;
    yield* this.kept;
    for (let i = this.offset; i < this.recent.length; i++) yield this.recent[i];
  }

  /** The frames held from `from` on, in order (without copying the head when from is 0). */
  private *from(from: number): Generator<Frame> {
    if (from <= 0) {
      yield* this;
      return;
    }
    for (let i = from; i < this.head.length; i++) yield this.head[i];
    for (const f of this.kept) if (f.index >= from) yield f;
    const w = this.oldestInWindow();
    for (let i = this.offset + Math.max(0, from - w); i < this.recent.length; i++) yield this.recent[i];
  }

  find(match: (frame: Frame) => boolean, from = 0): Frame | undefined {
    for (const f of this.from(from)) if (match(f)) return f;
    return undefined;
  }

  filter(match: (frame: Frame) => boolean, from = 0): Frame[] {
    const out: Frame[] = [];
    for (const f of this.from(from)) if (match(f)) out.push(f);
    return out;
  }

  runs(): Frame[][] {
    const out: Frame[][] = [];
    let run: Frame[] = [];
    for (const f of this) {
      if (run.length && f.index !== run[run.length - 1].index + 1) {
        out.push(run);
        run = [];
      }
      run.push(f);
    }
    if (run.length) out.push(run);
    return out;
  }

  slice(from = 0, to = this.count): Frame[] {
    const out: Frame[] = [];
    for (const f of this.from(Math.max(0, from))) {
      if (f.index >= to) break;
      out.push(f);
    }
    return out;
  }
}

/** An empty log (a connection that never opened). */
export const EMPTY_LOG: FrameView = new FrameLog();

/**
 * When the runner itself was held up. A loaded CI runner can starve the runner's process for
 * hundreds of milliseconds; a frame that arrives meanwhile is timestamped when the runner gets the
 * CPU back, so a timing check would blame the server for the runner's own stall. A ticking timer
 * records each stretch in which the event loop did not run, and a timing check deducts the
 * stretches inside a gap before it judges the gap.
 */

/** The tick of the watch (ms). A tick that comes more than `SLACK_MS` late counts as a stall. */
const TICK_MS = 10;
const SLACK_MS = 20;
/** The stalls kept (the oldest are dropped first): a run's timing checks look at recent gaps. */
const MAX_STALLS = 4096;

export class StallWatch {
  private readonly stalls: [number, number][] = [];
  private timer?: ReturnType<typeof setInterval>;
  private last = 0;

  start(): void {
    if (this.timer) return;
    this.last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      if (now - this.last > TICK_MS + SLACK_MS) {
        this.stalls.push([this.last + TICK_MS, now]);
        if (this.stalls.length > MAX_STALLS) this.stalls.shift();
      }
      this.last = now;
    }, TICK_MS);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * How long (ms) the runner was held up between `fromMs` and `toMs` (`performance.now()` times),
   * including a stall still going on at `toMs` (a frame read when the runner got the CPU back is
   * timestamped before the next tick could record it).
   */
  heldUpMs(fromMs: number, toMs: number): number {
    let total = 0;
    const now = performance.now();
    const open: [number, number][] = this.timer && now - this.last > TICK_MS + SLACK_MS ? [[this.last + TICK_MS, now]] : [];
    for (const [a, b] of [...this.stalls, ...open]) {
      if (b <= fromMs || a >= toMs) continue;
      total += Math.min(b, toMs) - Math.max(a, fromMs);
    }
    return Math.max(0, total);
  }
}

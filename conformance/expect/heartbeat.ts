/** Periodic frames (WebSocket pings, Engine.IO heartbeats): every gap within the allowed window. */
import { at, Findings } from '../../src/runner/index.js';
import type { Frame } from '../../src/transport/index.js';

/**
 * Judges, beat by beat as they arrive, that beats come at most `windowMs` apart; `end` judges
 * the gap from `startMs` (when the clock starts) to the first beat, and from the last beat to
 * `endMs` (when the observation ended). `what` names the beat, e.g. "a ping frame". It keeps the
 * first beat and the last beat's time: nothing grows with the beats.
 */
export class Beats {
  private first?: Frame;
  private last?: number;
  private readonly expected: string;

  constructor(
    private readonly findings: Findings,
    private readonly windowMs: number,
    intervalMs: number,
    private readonly what: string,
    /** How long the runner itself was held up between two frame times (`Frame.at`): deducted from each gap. */
    private readonly heldUpMs: (fromMs: number, toMs: number) => number = () => 0,
  ) {
    this.expected = `${what} every ${intervalMs} ms (at most ${windowMs} ms apart)`;
  }

  beat(frame: Frame): void {
    if (this.last === undefined) this.first = frame;
    else this.gap(this.last, frame);
    this.last = frame.at;
  }

  /**
   * The gap from `fromMs` to the frame, less the time the runner was held up in it: a frame the
   * runner read late because its own process was starved is not the server's lateness.
   */
  private gap(fromMs: number, frame: Frame): void {
    const ms = frame.at - fromMs;
    if (ms <= this.windowMs) return;
    const held = this.heldUpMs(fromMs, frame.at);
    if (ms - held <= this.windowMs) return;
    const runner = held >= 1 ? ` (less ${Math.round(held)} ms in which the runner itself was held up: ${Math.round(ms - held)} ms)` : '';
    this.findings.add('late', { message: `${capital(this.what)} came late`, expected: this.expected, actual: `${Math.round(ms)} ms without one${runner}` }, at(frame));
  }

  /** The findings, once the observation is over. */
  end(startMs: number, endMs: number): Findings {
    if (!this.first || this.last === undefined) {
      this.findings.add('none', { message: `No ${this.what.replace(/^an? /, '')} arrived`, expected: this.expected, actual: `none in ${Math.round(endMs - startMs)} ms` });
      return this.findings;
    }
    this.gap(startMs, this.first);
    const tail = endMs - this.last;
    if (tail > this.windowMs && tail - this.heldUpMs(this.last, endMs) > this.windowMs) this.findings.add('stopped', { message: `${capital(this.what.replace(/^an? /, ''))}s stopped`, expected: this.expected, actual: `none in the last ${Math.round(endMs - this.last)} ms of the observation` });
    return this.findings;
  }
}

function capital(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

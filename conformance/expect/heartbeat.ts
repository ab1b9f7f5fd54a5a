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
  ) {
    this.expected = `${what} every ${intervalMs} ms (at most ${windowMs} ms apart)`;
  }

  beat(frame: Frame): void {
    if (this.last === undefined) this.first = frame;
    else this.gap(frame.at - this.last, frame);
    this.last = frame.at;
  }

  private gap(ms: number, frame: Frame): void {
    if (ms > this.windowMs) this.findings.add('late', { message: `${capital(this.what)} came late`, expected: this.expected, actual: `${Math.round(ms)} ms without one` }, at(frame));
  }

  /** The findings, once the observation is over. */
  end(startMs: number, endMs: number): Findings {
    if (!this.first || this.last === undefined) {
      this.findings.add('none', { message: `No ${this.what.replace(/^an? /, '')} arrived`, expected: this.expected, actual: `none in ${Math.round(endMs - startMs)} ms` });
      return this.findings;
    }
    this.gap(this.first.at - startMs, this.first);
    if (endMs - this.last > this.windowMs) this.findings.add('stopped', { message: `${capital(this.what.replace(/^an? /, ''))}s stopped`, expected: this.expected, actual: `none in the last ${Math.round(endMs - this.last)} ms of the observation` });
    return this.findings;
  }
}

function capital(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

/** Periodic frames (WebSocket pings, Engine.IO heartbeats): every gap within the allowed window. */
import { at, Findings } from '../../src/runner/index.js';
import type { Frame } from '../../src/transport/index.js';

/**
 * Judges that `beats` arrive at most `windowMs` apart, from `startMs` (when the clock starts)
 * to `endMs` (when the observation ended). `what` names the beat, e.g. "a ping frame".
 */
export function judgeBeats(beats: Frame[], startMs: number, endMs: number, windowMs: number, intervalMs: number, what: string): Findings {
  const findings = new Findings();
  const expected = `${what} every ${intervalMs} ms (at most ${windowMs} ms apart)`;
  if (!beats.length) {
    findings.add('none', { message: `No ${what.replace(/^an? /, '')} arrived`, expected, actual: `none in ${Math.round(endMs - startMs)} ms` });
    return findings;
  }
  let last = startMs;
  for (const beat of beats) {
    const gap = beat.at - last;
    if (gap > windowMs) findings.add('late', { message: `${capital(what)} came late`, expected, actual: `${Math.round(gap)} ms without one` }, at(beat));
    last = beat.at;
  }
  if (endMs - last > windowMs) findings.add('stopped', { message: `${capital(what.replace(/^an? /, ''))}s stopped`, expected, actual: `none in the last ${Math.round(endMs - last)} ms of the observation` });
  return findings;
}

function capital(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

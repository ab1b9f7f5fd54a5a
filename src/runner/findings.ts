/** Grouping of deviations: one finding per kind, with a count and the first occurrences. */
import type { Frame } from '../transport/types.js';
import type { Basis } from '../spec/extension.js';
import type { Finding, Occurrence } from './types.js';

/** How many occurrences a finding keeps. */
export const MAX_OCCURRENCES = 3;

/** The longest frame text quoted as evidence. */
export const MAX_FRAME_TEXT = 300;

/** A frame rendered as evidence: its text (shortened), or a description of a non-text frame. */
export function frameEvidence(frame: Frame): string {
  let text: string;
  switch (frame.type) {
    case 'text':
      text = frame.text ?? '';
      break;
    case 'binary':
      text = `(binary frame, ${frame.bytes} bytes: ${frame.text ?? ''})`;
      break;
    case 'ping':
    case 'pong':
      text = `(${frame.type} frame, payload ${JSON.stringify(frame.payload ?? '')})`;
      break;
    case 'close':
      text = `(close frame, code ${frame.code}${frame.reason ? `, reason ${JSON.stringify(frame.reason)}` : ''})`;
      break;
    default:
      text = `(${frame.reason ?? 'client error'})`;
  }
  // Control characters would garble a terminal or a log: show them escaped.
  text = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return text.length > MAX_FRAME_TEXT ? `${text.slice(0, MAX_FRAME_TEXT - 1)}… (${frame.bytes} bytes)` : text;
}

/** An occurrence at a frame. */
export function at(frame: Frame | undefined, extra: Omit<Occurrence, 'frameIndex' | 'frame'> = {}): Occurrence {
  return frame ? { frameIndex: frame.index, frame: frameEvidence(frame), ...extra } : { ...extra };
}

/** How many kinds of deviation a check lists; the rest are counted in one more finding. */
export const MAX_KINDS = 100;

/** What a run's findings tell it: an occurrence kept as evidence, a deviation counted. */
export interface FindingsHooks {
  onKeep?(occurrence: Occurrence): void;
  onAdd?(): void;
}

/**
 * Collects findings, grouping them by a key that names the kind of deviation. Its memory is
 * bounded however long a stream runs: per kind, a count and the first occurrences; beyond
 * MAX_KINDS kinds, one finding counts the rest ("… and N more").
 */
export class Findings {
  private readonly byKey = new Map<string, Finding>();
  private overflow?: { finding: Finding; kinds: Set<string> | number };

  constructor(private readonly hooks: FindingsHooks = {}) {}

  /** Records one occurrence of a kind of deviation; the first call of a key sets its texts. */
  add(key: string, texts: { message: string; expected: string; actual: string; basis?: Basis }, occurrence?: Occurrence): this {
    this.hooks.onAdd?.();
    let f = this.byKey.get(key);
    if (!f && this.byKey.size >= MAX_KINDS) {
      this.overflowed(key, texts, occurrence);
      return this;
    }
    if (!f) {
      f = { message: texts.message, expected: texts.expected, actual: texts.actual, count: 0, occurrences: [] };
      if (texts.basis) f.basis = texts.basis;
      this.byKey.set(key, f);
    }
    f.count++;
    if (occurrence && f.occurrences.length < MAX_OCCURRENCES) this.keep(f, occurrence);
    return this;
  }

  private keep(f: Finding, occurrence: Occurrence): void {
    f.occurrences.push(occurrence);
    this.hooks.onKeep?.(occurrence);
  }

  /** A deviation of a kind beyond MAX_KINDS: counted, with the first one's texts as its example. */
  private overflowed(key: string, texts: { message: string; expected: string; actual: string; basis?: Basis }, occurrence?: Occurrence): void {
    if (!this.overflow) {
      const finding: Finding = { message: '', expected: texts.expected, actual: `first of them: ${texts.message} (${texts.actual})`, count: 0, occurrences: [] };
      if (texts.basis) finding.basis = texts.basis;
      this.overflow = { finding, kinds: new Set() };
    }
    const o = this.overflow;
    o.finding.count++;
    // The distinct kinds are counted up to a bound; beyond it the count says "at least".
    if (typeof o.kinds !== 'number') {
      o.kinds.add(key);
      if (o.kinds.size >= 10_000) o.kinds = o.kinds.size;
    }
    if (occurrence && o.finding.occurrences.length < MAX_OCCURRENCES) this.keep(o.finding, occurrence);
  }

  /** Whether nothing was recorded. */
  get empty(): boolean {
    return this.byKey.size === 0;
  }

  /** The findings, in the order their kinds were first seen (then the count of the kinds beyond MAX_KINDS). */
  list(): Finding[] {
    const out = [...this.byKey.values()];
    if (this.overflow) {
      const { finding, kinds } = this.overflow;
      const n = typeof kinds === 'number' ? `at least ${kinds}` : String(kinds.size);
      out.push({ ...finding, message: `… and ${finding.count} more deviations of ${n} other kinds (a check lists at most ${MAX_KINDS} kinds)` });
    }
    return out;
  }
}

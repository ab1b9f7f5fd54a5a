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

/** Collects findings, grouping them by a key that names the kind of deviation. */
export class Findings {
  private readonly byKey = new Map<string, Finding>();

  /** Records one occurrence of a kind of deviation; the first call of a key sets its texts. */
  add(key: string, texts: { message: string; expected: string; actual: string; basis?: Basis }, occurrence?: Occurrence): this {
    let f = this.byKey.get(key);
    if (!f) {
      f = { message: texts.message, expected: texts.expected, actual: texts.actual, count: 0, occurrences: [] };
      if (texts.basis) f.basis = texts.basis;
      this.byKey.set(key, f);
    }
    f.count++;
    if (occurrence && f.occurrences.length < MAX_OCCURRENCES) f.occurrences.push(occurrence);
    return this;
  }

  /** Whether nothing was recorded. */
  get empty(): boolean {
    return this.byKey.size === 0;
  }

  /** The findings, in the order their kinds were first seen. */
  list(): Finding[] {
    return [...this.byKey.values()];
  }
}

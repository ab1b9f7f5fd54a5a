/**
 * What `suggest` and `validate` read: a transcript (JSON Lines, one message per line, as
 * `validate` takes) or a recording (`wsconform record`'s fixture: a header line, then stream and
 * script lines whose `frame` is the message as it was received). Either way every line that holds
 * a message gives one `Observed`; nothing is dropped silently: lines that hold no message are
 * counted with the reason (`skipped`).
 */
import type { Direction } from '../spec/model.js';

/** One message read from the input. */
export interface Observed {
  /** 1-based line of the input. */
  line: number;
  /** The message as it travelled (WebSocket: the JSON value; Socket.IO: `[event, ...args]`). */
  value: unknown;
  /** The direction the line states (`direction` of an examples line; a recording's frames are the server's). */
  direction?: Direction;
}

/** Lines that hold no message, by why. */
export interface Skipped {
  /** A recording's comment for a frame that was not JSON, or binary: it cannot be a message of any document. */
  unjudgeable: { line: number; text: string }[];
  /** Lines that are not JSON at all (a transcript's broken line). */
  notJson: { line: number; text: string; error: string }[];
  /** A recording's script lines borrowed from the default fixture (not recorded) or holding fixture markers. */
  notRecorded: number[];
}

/** The messages of an input and what was skipped. */
export interface ObservedInput {
  kind: 'recording' | 'transcript';
  messages: Observed[];
  skipped: Skipped;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Whether a value holds a fixture marker (`${timestamp}`), which a recording escapes as `$${`. */
function hasMarker(value: unknown): boolean {
  if (typeof value === 'string') return /(^|[^$])\$\{/.test(value);
  if (Array.isArray(value)) return value.some(hasMarker);
  if (isObject(value)) return Object.values(value).some(hasMarker);
  return false;
}

/** A recording's literal `$${` back to `${`. */
function unescape(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$\$\{/g, '${');
  if (Array.isArray(value)) return value.map(unescape);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescape(v)]));
  return value;
}

/**
 * Reads an input line by line (a stream of any length: `validate` reads standard input with it).
 * `read` returns the line's message, or undefined when it holds none (then `skipped` says why).
 */
export class ObservedReader {
  kind: ObservedInput['kind'] = 'transcript';
  readonly skipped: Skipped = { unjudgeable: [], notJson: [], notRecorded: [] };
  private first = true;

  read(raw: string, line: number): Observed | undefined {
    const trimmed = raw.trim();
    if (trimmed === '') return undefined;
    if (this.kind === 'recording' && trimmed.startsWith('//')) {
      // The recorder keeps a frame that was not JSON (or binary) as a comment: `// at 12 ms: …`.
      if (/^\/\/ at -?\d+ ms: /.test(trimmed)) this.skipped.unjudgeable.push({ line, text: trimmed });
      return undefined;
    }
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (err) {
      this.first = false;
      this.skipped.notJson.push({ line, text: trimmed.slice(0, 120), error: (err as Error).message });
      return undefined;
    }
    const first = this.first;
    this.first = false;
    if (first && isObject(value) && value.wsconform === 'fixture') {
      this.kind = 'recording';
      return undefined;
    }
    if (this.kind === 'recording') {
      if (!isObject(value) || !('frame' in value)) return undefined;
      // Borrowed scripts and hand-written lines with markers were never received.
      if (typeof value.note === 'string' || hasMarker(value.frame)) {
        this.skipped.notRecorded.push(line);
        return undefined;
      }
      return { line, value: unescape(value.frame), direction: 'receive' };
    }
    // A transcript line: a bare message, or {direction, frame} as the examples files have it.
    if (isObject(value) && 'frame' in value && (value.direction === 'receive' || value.direction === 'send')) return { line, value: value.frame, direction: value.direction };
    return { line, value };
  }
}

/** Reads a whole transcript or recording (see the file comment). */
export function readObserved(text: string): ObservedInput {
  const reader = new ObservedReader();
  const messages: Observed[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const m = reader.read(raw, i + 1);
    if (m) messages.push(m);
  }
  return { kind: reader.kind, messages, skipped: reader.skipped };
}

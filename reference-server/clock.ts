/**
 * The virtual clock: a timestamp is a fixed epoch base plus fixture time, never the wall clock,
 * so that the same fixture gives the same bytes on every run.
 */
import type { TimestampField } from '../src/spec/extension.js';

/** A timestamp representation. */
export type TimestampFormat = TimestampField['format'];

/** The default epoch base: 2026-01-08T10:30:00Z, the instant of the Clown document's examples. */
export const DEFAULT_EPOCH_SECONDS = 1767868200;

/** Formats the instant `epochSeconds + virtualMs / 1000` in `format`. */
export function formatTimestamp(epochSeconds: number, virtualMs: number, format: TimestampFormat): number | string {
  const millis = Math.round(epochSeconds * 1000) + Math.round(virtualMs);
  switch (format) {
    case 'epoch-millis':
      return millis;
    case 'iso-8601': {
      const iso = new Date(millis).toISOString();
      return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
    }
    default:
      // Integer milliseconds divided once: 1767868200123 / 1000 prints as 1767868200.123.
      return millis / 1000;
  }
}

/** The other representation, for the `timestamp-iso` fault: ISO for numbers, epoch seconds for ISO. */
export function wrongFormat(format: TimestampFormat): TimestampFormat {
  return format === 'iso-8601' ? 'epoch-seconds' : 'iso-8601';
}

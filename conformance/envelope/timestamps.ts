// Aragora: "`timestamp` is epoch seconds (float)." Kiwi: "| timestamp | float | Unix timestamp |".
// Clown: "timestamp": "2026-01-08T10:30:00Z" (ISO 8601 in every example).
import { defineCheck, fieldAt, hasField, basisOf, distinctBases } from '../../src/runner/index.js';
import type { TimestampField } from '../../src/spec/extension.js';
import { jsonType, preview } from '../../src/spec/validator.js';
import { judgeObserved, msgAt } from '../expect/index.js';

type Kind = TimestampField['format'] | 'numeric-string' | 'other-string' | 'other';

const ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** What representation a timestamp value has. */
export function timestampKind(v: unknown): Kind {
  if (typeof v === 'number' && Number.isFinite(v)) return Number.isInteger(v) && v >= 1e11 ? 'epoch-millis' : v >= 0 && v < 1e11 ? 'epoch-seconds' : 'other';
  if (typeof v === 'string') {
    if (ISO.test(v) && !Number.isNaN(Date.parse(v))) return 'iso-8601';
    if (/^-?\d+(\.\d+)?$/.test(v)) return 'numeric-string';
    return 'other-string';
  }
  return 'other';
}

const WORDS: Record<Kind, string> = {
  'epoch-seconds': 'epoch seconds as a number',
  'epoch-millis': 'epoch milliseconds as an integer',
  'iso-8601': 'an ISO 8601 string',
  'numeric-string': 'a number inside a string',
  'other-string': 'a string that is no timestamp',
  other: 'no timestamp',
};

const EXAMPLE: Record<TimestampField['format'], string> = {
  'epoch-seconds': '1709000000.0',
  'epoch-millis': '1709000000000',
  'iso-8601': '"2026-01-08T10:30:00Z"',
};

export default defineCheck({
  id: 'envelope/timestamps',
  category: 'envelope',
  level: 'MUST',
  description: 'Reads every documented timestamp field',
  requirement: 'Every timestamp field uses the documented representation (epoch seconds, epoch milliseconds or ISO 8601), and a drift is named precisely.',
  basis: (spec) => distinctBases((spec.ext.envelope?.timestamps ?? []).map((t, i) => basisOf(t, `x-wsconform.envelope.timestamps[${i}]`))),
  appliesTo: (spec) => (spec.ext.envelope?.timestamps?.length ? true : 'the document names no timestamp field'),
  async run(ctx) {
    return judgeObserved(ctx, 'message with a timestamp field', (m, findings) => {
      let judged = false;
      for (const t of ctx.spec.ext.envelope!.timestamps!) {
        if (!hasField(m.payload, t.field)) continue;
        judged = true;
        const basis = basisOf(t, `x-wsconform.envelope.timestamps[${ctx.spec.ext.envelope!.timestamps!.indexOf(t)}]`);
        const v = fieldAt(m.payload, t.field);
        const kind = timestampKind(v);
        if (kind === t.format) continue;
        const actual = kind === 'other' ? `${jsonType(v)} ${preview(v, 40)}` : `${WORDS[kind]} ${preview(v, 40)}`;
        findings.add(`${t.field}:${kind}`, { basis, message: `${t.field} is ${WORDS[kind]}, not ${WORDS[t.format]}`, expected: `${WORDS[t.format]} (e.g. ${EXAMPLE[t.format]})`, actual }, msgAt(m, { path: `$.${t.field}` }));
      }
      return judged;
    });
  },
});

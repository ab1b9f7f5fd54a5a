// Gemini, gemini:content: "{ text: string; // New text chunk  accumulated: string; // Full response
// so far }"; gemini:done: "console.log('Full response:', data.fullResponse)".
import { defineCheck, fieldAt, basisOf, distinctBases } from '../../src/runner/index.js';
import { preview } from '../../src/spec/validator.js';
import { judgeStreams, msgAt, runWideBudget } from '../expect/index.js';

export default defineCheck({
  id: 'ordering/accumulation',
  category: 'ordering',
  level: 'MUST',
  description: 'Replays every documented streaming accumulation on every connection',
  requirement:
    "Each chunk's accumulated field is the running concatenation of the chunks so far; the final message's field equals the last accumulated value; a resetOn message starts a new stream.",
  basis: (spec) => distinctBases((spec.ext.accumulations ?? []).map((r, i) => basisOf(r, `x-wsconform.accumulations[${i}]`))),
  appliesTo: (spec) => (spec.ext.accumulations?.length ? true : 'the document declares no accumulation'),
  budgetMs: runWideBudget,
  async run(ctx) {
    return judgeStreams(ctx, ctx.spec.ext.accumulations!, 'no accumulation chunk on any connection of the run (check the triggers)', (conn, rule, findings) => {
      const basis = basisOf(rule, `x-wsconform.accumulations[${ctx.spec.ext.accumulations!.indexOf(rule)}]`);
      const resets = new Set(rule.resetOn ?? []);
      // `undefined` before the first chunk; `fresh` once a final or reset has been seen, so the
      // first chunk of a connection may join a stream mid-way but later ones may not.
      let acc: string | undefined;
      let fresh = false;
      return (m) => {
        let judged = false;
        if (m.name === rule.message) {
          const chunk = fieldAt(m.payload, rule.chunkField);
          const accumulated = fieldAt(m.payload, rule.accumulatedField);
          if (typeof chunk !== 'string' || typeof accumulated !== 'string') return false;
          judged = true;
          const expected = (acc ?? '') + chunk;
          const joinedMidway = acc === undefined && !fresh && accumulated.endsWith(chunk);
          if (accumulated !== expected && !joinedMidway) {
            findings.add(`${rule.id}:concat`, { basis, message: `${rule.id}: ${rule.accumulatedField} is not the running concatenation of ${rule.chunkField}`, expected: `${preview(expected, 80)} (the previous ${rule.accumulatedField} + this ${rule.chunkField})`, actual: preview(accumulated, 80) }, msgAt(m, { path: `$.${rule.accumulatedField}` }, conn));
          }
          acc = accumulated;
        } else if (rule.final && m.name === rule.final.message) {
          const full = fieldAt(m.payload, rule.final.field);
          if (acc !== undefined && typeof full === 'string') {
            judged = true;
            if (full !== acc) {
              findings.add(`${rule.id}:final`, { basis, message: `${rule.id}: ${rule.final.message}.${rule.final.field} differs from the last ${rule.accumulatedField}`, expected: preview(acc, 80), actual: preview(full, 80) }, msgAt(m, { path: `$.${rule.final.field}` }, conn));
            }
          }
          acc = undefined;
          fresh = true;
        } else if (m.name !== undefined && resets.has(m.name)) {
          acc = undefined;
          fresh = true;
        }
        return judged;
      };
    });
  },
});

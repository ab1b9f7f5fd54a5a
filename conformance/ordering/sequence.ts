// Aragora, "Stream Event Envelope": {"seq": 42, "agent_seq": 7, …} — "`round`, `agent`, and
// `agent_seq` are populated when relevant." Coda: "All events follow a consistent structure:
// {"version": "1.0", "seq": 123, …}".
import { defineCheck, fieldAt, basisOf, distinctBases } from '../../src/runner/index.js';
import { judgeStreams, msgAt, runWideBudget } from '../expect/index.js';

export default defineCheck({
  id: 'ordering/sequence',
  category: 'ordering',
  level: 'MUST',
  description: 'Follows every documented sequence field through the stream of every connection',
  requirement: 'Each documented sequence field grows as documented (strictly increasing, or consecutive) on every connection, per scope where one is given (e.g. agent_seq per agent), from the documented start.',
  basis: (spec) => distinctBases((spec.ext.sequences ?? []).map((r, i) => basisOf(r, `x-wsconform.sequences[${i}]`))),
  appliesTo: (spec) => (spec.ext.sequences?.length ? true : 'the document declares no sequence field'),
  budgetMs: runWideBudget,
  async run(ctx) {
    return judgeStreams(ctx, ctx.spec.ext.sequences!, 'no message of the run carried a sequence field', (conn, rule, findings) => {
      const basis = basisOf(rule, `x-wsconform.sequences[${ctx.spec.ext.sequences!.indexOf(rule)}]`);
      const last = new Map<string, number>();
      const only = rule.messages ? new Set(rule.messages) : undefined;
      const per = rule.scope ? ` (per ${rule.scope})` : '';
      return (m) => {
        if (only && (m.name === undefined || !only.has(m.name))) return false;
        const v = fieldAt(m.payload, rule.field);
        if (typeof v !== 'number') return false;
        // A scoped sequence counts per scope value; a message whose scope field is absent, null
        // or empty belongs to no scope ("populated when relevant") and is not judged.
        const scopeValue = rule.scope ? fieldAt(m.payload, rule.scope) : undefined;
        if (rule.scope && (scopeValue === undefined || scopeValue === null || scopeValue === '')) return false;
        const scope = rule.scope ? JSON.stringify(scopeValue) : '';
        const where = rule.scope ? ` for ${rule.scope} ${scope}` : '';
        const prev = last.get(scope);
        last.set(scope, v);
        const occurrence = msgAt(m, { path: `$.${rule.field}` }, conn);
        if (prev === undefined) {
          if (typeof rule.start === 'number' && v !== rule.start) {
            findings.add(`${rule.field}:start`, { basis, message: `${rule.field} did not start at ${rule.start}${per}`, expected: `${rule.field} starts at ${rule.start}`, actual: `first ${rule.field}${where} is ${v}` }, occurrence);
          }
        } else if (v <= prev) {
          findings.add(`${rule.field}:order`, { basis, message: `${rule.field} did not increase${per}`, expected: rule.order === 'consecutive' ? `${prev + 1} after ${prev}` : `a value greater than ${prev}`, actual: `${v} after ${prev}${where}` }, occurrence);
        } else if (rule.order === 'consecutive' && v !== prev + 1) {
          findings.add(`${rule.field}:gap`, { basis, message: `${rule.field} skipped values${per}`, expected: `${prev + 1} after ${prev}`, actual: `${v} after ${prev}${where}` }, occurrence);
        }
        return true;
      };
    });
  },
});

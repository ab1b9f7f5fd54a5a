// Aragora, "Token streaming": token_start, token_delta, token_end; Coda: "`llm_start`,
// `llm_token`, `llm_result`, `llm_error` - Language model"; Gemini: tool:execution-start …
// tool:execution-complete / tool:execution-error.
import { defineCheck, fieldAt, basisOf, distinctBases } from '../../src/runner/index.js';
import { atIn, judgeStreams, runWideBudget } from '../expect/index.js';

type State = 'open' | 'ended';

export default defineCheck({
  id: 'ordering/lifecycle',
  category: 'ordering',
  level: 'MUST',
  description: 'Matches the start, middle and end messages of every documented lifecycle on every connection',
  requirement:
    "A lifecycle end follows its start with the same key; its middle (`during`) messages come only between them. Whether an end without an observed start fails is the rule's strictStart (a client may join mid-stream).",
  basis: (spec) => distinctBases((spec.ext.lifecycles ?? []).map((r, i) => basisOf(r, `x-wsconform.lifecycles[${i}]`))),
  appliesTo: (spec) => (spec.ext.lifecycles?.length ? true : 'the document declares no lifecycle'),
  budgetMs: runWideBudget,
  async run(ctx) {
    return judgeStreams(ctx, ctx.spec.ext.lifecycles!, 'no lifecycle message on any connection of the run (check the triggers)', (conn, rule, findings) => {
      const basis = basisOf(rule, `x-wsconform.lifecycles[${ctx.spec.ext.lifecycles!.indexOf(rule)}]`);
      const state = new Map<string, State>();
      const during = new Set(rule.during ?? []);
      const ends = new Set(rule.end);
      const strict = rule.strictStart ?? false;
      return (m) => {
        if (m.name === undefined || (m.name !== rule.start && !during.has(m.name) && !ends.has(m.name))) return false;
        // A keyed lifecycle counts per key value; a message whose key fields are all absent, null or
        // empty belongs to no instance (an emitter not scoped to one) and is not judged.
        const values = (rule.key ?? []).map((k) => fieldAt(m.payload, k));
        if (values.length && values.every((v) => v === undefined || v === null || v === '')) return false;
        const key = values.map((v) => JSON.stringify(v ?? null)).join(', ');
        const keyText = rule.key?.length ? ` (${rule.key.join(', ')} = ${key})` : '';
        const st = state.get(key);
        if (m.name === rule.start) {
          state.set(key, 'open');
        } else if (ends.has(m.name)) {
          if (st === 'ended' || (st === undefined && strict)) {
            findings.add(`${rule.id}:orphan-end`, { basis, message: `${rule.id}: ${m.name} without a ${rule.start} before it`, expected: `${rule.start} before ${rule.end.join(' or ')} with the same key`, actual: `${m.name}${keyText} ${st === 'ended' ? 'after that lifecycle had already ended' : 'with no start observed'}` }, atIn(conn, m.frame));
          }
          state.set(key, 'ended');
        } else {
          if (st === 'ended' || (st === undefined && strict)) {
            findings.add(`${rule.id}:outside`, { basis, message: `${rule.id}: ${m.name} outside its lifecycle`, expected: `${m.name} only between ${rule.start} and ${rule.end.join(' or ')}`, actual: `${m.name}${keyText} ${st === 'ended' ? 'after the end' : 'before any start'}` }, atIn(conn, m.frame));
          }
          if (st === undefined) state.set(key, 'open');
        }
        return true;
      };
    });
  },
});

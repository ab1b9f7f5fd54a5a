// Aragora, "Stream Event Envelope": {"seq": 42, "agent_seq": 7, …} — "`round`, `agent`, and
// `agent_seq` are populated when relevant." Coda: "All events follow a consistent structure:
// {"version": "1.0", "seq": 123, …}".
import { defineCheck, fieldAt } from '../../src/runner/index.js';
import { judgeStreams, msgAt, runWideBudget } from '../expect/index.js';

export default defineCheck({
  id: 'ordering/sequence',
  category: 'ordering',
  level: 'MUST',
  description: 'Follows every documented sequence field through the stream of every connection',
  requirement: 'Each documented sequence field grows as documented (strictly increasing, or consecutive) on every connection, per scope where one is given (e.g. agent_seq per agent), from the documented start.',
  quote: 'Stream events (emitted by SyncEventEmitter) share a common envelope: … "seq": 42, "agent_seq": 7 (Aragora, Stream Event Envelope)',
  appliesTo: (spec) => (spec.ext.sequences?.length ? true : 'the document declares no sequence field'),
  budgetMs: runWideBudget,
  async run(ctx) {
    return judgeStreams(ctx, ctx.spec.ext.sequences!, 'no message of the run carried a sequence field', ({ conn, messages }, rule, findings) => {
      let judged = 0;
      const last = new Map<string, number>();
      const only = rule.messages ? new Set(rule.messages) : undefined;
      const per = rule.scope ? ` (per ${rule.scope})` : '';
      for (const m of messages) {
        if (only && (m.name === undefined || !only.has(m.name))) continue;
        const v = fieldAt(m.payload, rule.field);
        if (typeof v !== 'number') continue;
        judged++;
        const scope = rule.scope ? JSON.stringify(fieldAt(m.payload, rule.scope) ?? null) : '';
        const where = rule.scope ? ` for ${rule.scope} ${scope}` : '';
        const prev = last.get(scope);
        last.set(scope, v);
        const occurrence = msgAt(m, { path: `$.${rule.field}` }, conn);
        if (prev === undefined) {
          if (typeof rule.start === 'number' && v !== rule.start) {
            findings.add(`${rule.field}:start`, { message: `${rule.field} did not start at ${rule.start}${per}`, expected: `${rule.field} starts at ${rule.start}`, actual: `first ${rule.field}${where} is ${v}` }, occurrence);
          }
        } else if (v <= prev) {
          findings.add(`${rule.field}:order`, { message: `${rule.field} did not increase${per}`, expected: rule.order === 'consecutive' ? `${prev + 1} after ${prev}` : `a value greater than ${prev}`, actual: `${v} after ${prev}${where}` }, occurrence);
        } else if (rule.order === 'consecutive' && v !== prev + 1) {
          findings.add(`${rule.field}:gap`, { message: `${rule.field} skipped values${per}`, expected: `${prev + 1} after ${prev}`, actual: `${v} after ${prev}${where}` }, occurrence);
        }
      }
      return judged;
    });
  },
});

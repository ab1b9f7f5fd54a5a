// Each document gives the payload of each event, e.g. Kiwi: "| `SPEECH_RECOGNIZED` |
// `{"text": "turn on the lights", "language": "en"}` |"; Gemini: "Data Structure: { text: string;
// accumulated: string; }". The AsyncAPI document turns these into payload schemas.
import { Findings, defineCheck, verdictOf } from '../../src/runner/index.js';
import { msgAt, nothingToJudge, observed } from '../expect/index.js';

export default defineCheck({
  id: 'envelope/schema',
  category: 'envelope',
  level: 'MUST',
  description: "Validates every documented server message against its payload schema",
  requirement: "Every documented server message matches its payload schema; the evidence names the JSON path and the schema path.",
  quote: 'Data Structure: { text: string; accumulated: string; } (Gemini, gemini:content); every event type is documented with its payload.',
  appliesTo: () => true,
  async run(ctx) {
    const o = await observed(ctx);
    if (!o.ok) return o.outcome;
    const findings = new Findings();
    let judged = 0;
    for (const m of o.messages) {
      const result = ctx.validator.validate(m.value);
      if (!result.message) continue;
      judged++;
      for (const issue of result.issues) {
        if (issue.code !== 'schema') continue;
        findings.add(`${result.name}|${issue.path}|${issue.keyword}`, { message: `${result.name}: ${issue.message}`, expected: issue.expected, actual: issue.actual }, msgAt(m, { path: issue.path, schemaPath: issue.schemaPath }));
      }
    }
    if (!judged) return nothingToJudge(o.obs, 'documented server message');
    return verdictOf(findings.list());
  },
});

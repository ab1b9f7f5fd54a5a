// Each document gives the payload of each event, e.g. Kiwi: "| `SPEECH_RECOGNIZED` |
// `{"text": "turn on the lights", "language": "en"}` |"; Gemini: "Data Structure: { text: string;
// accumulated: string; }". The AsyncAPI document turns these into payload schemas.
import { defineCheck } from '../../src/runner/index.js';
import { isPongField, isTimestampDrift, judgeObserved, msgAt, schemaBasis, validationOf } from '../expect/index.js';

export default defineCheck({
  id: 'envelope/schema',
  category: 'envelope',
  level: 'MUST',
  description: "Validates every documented server message against its payload schema",
  requirement: "Every documented server message matches its payload schema; the evidence names the JSON path and the schema path.",
  basis: () => [{ source: 'components.messages.*.payload: the payload schema of each message' }],
  appliesTo: () => true,
  async run(ctx) {
    return judgeObserved(ctx, 'documented server message', (m, findings) => {
      const result = validationOf(ctx, m);
      if (!result.message) return false;
      const basis = schemaBasis(ctx.spec, result.name!);
      for (const issue of result.issues) {
        if (issue.code !== 'schema' || isTimestampDrift(ctx.spec, issue) || isPongField(ctx.spec, result.name, issue)) continue;
        findings.add(`${result.name}|${issue.path}|${issue.keyword}`, { basis, message: `${result.name}: ${issue.message}`, expected: issue.expected, actual: issue.actual }, msgAt(m, { path: issue.path, schemaPath: issue.schemaPath }));
      }
      return true;
    });
  },
});

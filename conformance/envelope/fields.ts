// Kiwi, "Event Format": "All events follow the same structure: | event | string | Event type name |
// data | object | … | timestamp | float | … | source | string |". Aragora: "Stream events … share a
// common envelope".
import { defineCheck } from '../../src/runner/index.js';
import { envelopeBasis, isTimestampDrift, judgeObserved, msgAt, validationOf } from '../expect/index.js';

export default defineCheck({
  id: 'envelope/fields',
  category: 'envelope',
  level: 'MUST',
  description: 'Checks the envelope fields of every server message',
  requirement: 'Every server message carries its name field and, unless exempt, every envelope field with the documented type.',
  basis: (spec) => [envelopeBasis(spec)],
  appliesTo: (spec) => (spec.ext.envelope || spec.transport === 'websocket' ? true : 'no envelope documented (Socket.IO events carry their name in the packet)'),
  async run(ctx) {
    return judgeObserved(ctx, 'JSON object', (m, findings) => {
      if (ctx.spec.transport === 'websocket' && (m.value === null || typeof m.value !== 'object' || Array.isArray(m.value) !== (ctx.spec.ext.shape === 'array'))) return false;
      for (const issue of validationOf(ctx, m).issues) {
        if (issue.code === 'missing-name') {
          findings.add('missing-name', { message: 'A message has no name field', expected: issue.expected, actual: issue.actual }, msgAt(m, { path: issue.path }));
        } else if (issue.code === 'envelope' && !isTimestampDrift(ctx.spec, issue)) {
          findings.add(`${issue.path}:${issue.keyword}`, { message: `Envelope: ${issue.message}`, expected: issue.expected, actual: issue.actual }, msgAt(m, { path: issue.path, schemaPath: issue.schemaPath }));
        }
      }
      return true;
    });
  },
});

// RFC 6455 §5.6: "The "Payload data" is text data encoded as UTF-8" (text frames). Every protocol
// document shows its events as JSON text, e.g. Kiwi: "All events follow the same structure".
import { at, defineCheck, verdictOf, TRANSPORT } from '../../src/runner/index.js';
import { nothingToJudge, watchObserved } from '../expect/index.js';

export default defineCheck({
  id: 'envelope/text-frames',
  category: 'envelope',
  level: 'MUST',
  description: 'Looks at the kind of every frame the server sent',
  requirement: 'Every data frame the server sends is a text frame the client can read (no binary frames, no frame beyond the client limit).',
  basis: () => [TRANSPORT.textFrame],
  appliesTo: () => true,
  async run(ctx) {
    const findings = ctx.findings();
    let data = 0;
    const o = await watchObserved(ctx, (f) => {
      if (f.dir !== 'in' || (f.type !== 'text' && f.type !== 'binary' && f.type !== 'error')) return;
      data++;
      if (f.type === 'binary') findings.add('binary', { message: 'The server sent a binary frame', expected: 'a text frame holding JSON', actual: `a binary frame of ${f.bytes} bytes` }, at(f));
      else if (f.type === 'error') findings.add('unreadable', { message: 'The server sent a frame the client could not read', expected: 'a text frame holding JSON', actual: f.reason ?? 'a protocol error' }, at(f));
    });
    if (!o.ok) return o.outcome;
    if (!data) return nothingToJudge(o.obs, 'data frame');
    return verdictOf(findings.list());
  },
});

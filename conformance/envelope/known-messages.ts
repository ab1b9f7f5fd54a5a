// Aragora: "These are the canonical event names from `StreamEventType`". Each document lists its
// event types; a client dispatches on them ("switch (message.type) { case 'ProfileCreated': …").
import { at, defineCheck } from '../../src/runner/index.js';
import { judgeObserved, KIT } from '../expect/index.js';

export default defineCheck({
  id: 'envelope/known-messages',
  category: 'envelope',
  level: 'SHOULD',
  description: 'Looks up the name of every server message in the document',
  requirement: 'Every server message name is one the document lists (an undocumented name is non-strict; a failure under --strict).',
  basis: () => [KIT.knownMessages],
  appliesTo: () => true,
  async run(ctx) {
    const lifecycle = new Set(ctx.spec.ext.lifecycle ?? []);
    return judgeObserved(ctx, 'named message', (m, findings) => {
      if (m.name === undefined) return false;
      if (!ctx.spec.message('receive', m.name) && !lifecycle.has(m.name)) {
        findings.add(`unknown:${m.name}`, { message: `An undocumented message "${m.name}"`, expected: 'a server message the document lists', actual: JSON.stringify(m.name) }, at(m.frame));
      }
      return true;
    });
  },
});

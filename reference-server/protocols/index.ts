/** The protocol modules by protocol id; a protocol without one is served by the generic server alone. */
import type { ProtocolModule } from './types.js';
import aragora from './aragora.js';
import geminiChat from './gemini-chat.js';
import { subscriptionFilter } from './subscription.js';

const MODULES: Record<string, () => ProtocolModule> = {
  clown: () => subscriptionFilter('subscribe'),
  'aragora-control-plane': () => subscriptionFilter('subscribe'),
  aragora: () => aragora,
  'gemini-chat': () => geminiChat,
};

/** The module of a protocol (an empty module when it has none). */
export function moduleFor(id: string): ProtocolModule {
  return MODULES[id]?.() ?? {};
}

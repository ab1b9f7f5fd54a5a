/** The bases the checks quote: each rule's own, or where the document states it. */
import { basisOf } from '../../src/runner/index.js';
import type { Basis } from '../../src/spec/extension.js';
import type { Spec } from '../../src/spec/model.js';

/** The document's statement that a channel address accepts connections: its channel and server. */
export function channelBasis(spec: Spec, address?: string): Basis {
  const channel = spec.channels.find((c) => c.address === address) ?? spec.channels[0];
  const server = spec.servers[0];
  const where = channel ? `channels.${channel.id}.address: ${channel.address}` : 'channels';
  return { source: server ? `servers.${server.id} (${server.url}), ${where}` : where };
}

/** The basis of the replies to a client message: x-wsconform.replies, else the operation's reply. */
export function replyBasis(spec: Spec, request: string): Basis {
  return basisOf(spec.ext.replies?.[request], `the reply of the send operation of ${request}`);
}

/** Whether the document promises a reply to `request` (a reply it only allows is optional). */
export function replyRequired(spec: Spec, request: string): boolean {
  return !!spec.replies.get(request)?.length && !spec.ext.replies?.[request]?.optional;
}

/** The basis of the envelope rule (the name field and the common fields). */
export function envelopeBasis(spec: Spec): Basis {
  return basisOf(spec.ext.envelope, spec.ext.envelope ? 'x-wsconform.envelope' : 'x-wsconform.nameField');
}

/** The basis of a message's payload schema: its summary, where it stands in the document. */
export function schemaBasis(spec: Spec, name: string): Basis | undefined {
  const m = spec.message('receive', name);
  if (!m) return undefined;
  return m.summary ? { quote: m.summary, source: `components.messages.${m.key}` } : { source: `components.messages.${m.key}.payload` };
}

/** The decisions of the kit itself, where no document speaks (asyncapi/DECISIONS.md, section kit). */
export const KIT = {
  tokenNotEchoed: { decision: 'kit-token-not-echoed' },
  knownMessages: { decision: 'kit-known-messages' },
} as const satisfies Record<string, Basis>;

import type { EnvelopeRule, WsconformExtension } from '../spec/extension.js';

/**
 * What `npm run generate` needs, beyond the TypeScript types, to write a protocol's AsyncAPI
 * document: servers, channels, replies, security and the `x-wsconform` extension. Messages
 * come from the types file (`ServerEvents` / `ClientMessages`), descriptions from their JSDoc,
 * examples from `fixtures/<id>/examples.jsonl`.
 */
export interface ProtocolMeta {
  /** Protocol id, e.g. `kiwi`; also the name of the types file and the schema folder. */
  id: string;
  /** Document title. */
  title: string;
  /** Version of the protocol description. */
  version: string;
  /** Markdown description, naming the source document. */
  description: string;
  /** AsyncAPI servers: the documented local addresses. */
  servers: Record<string, { host: string; protocol: string; pathname?: string; description?: string }>;
  /** AsyncAPI channels by id: every documented address (for Socket.IO, the namespace). */
  channels: Record<string, { address: string; description: string }>;
  /** Client message wire name → the server messages that may answer it. */
  replies: Record<string, string[]>;
  /** Security schemes (AsyncAPI securityScheme objects) by id, where the document has auth. */
  securitySchemes?: Record<string, Record<string, unknown>>;
  /** Scheme ids any one of which the servers accept. */
  serverSecurity?: string[];
  /** Client message wire name → scheme ids its send operation needs (e.g. admin-only). */
  operationSecurity?: Record<string, string[]>;
  /** Type name of the envelope (schema written beside the messages), with the envelope rule. */
  envelope?: Omit<EnvelopeRule, 'schema'> & { type: string };
  /** The rest of the extension. */
  extension: Omit<WsconformExtension, 'version' | 'envelope' | 'decisions'>;
}

/** Identity helper that type-checks a protocol's meta. */
export function defineProtocol(meta: ProtocolMeta): ProtocolMeta {
  return meta;
}

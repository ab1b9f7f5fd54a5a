import type { WsconformExtension } from './extension.js';

/** Direction of a message: `receive` is server → client, `send` is client → server. */
export type Direction = 'receive' | 'send';

/**
 * The example of a message sent without a payload (an AsyncAPI example with no `payload`): for
 * Socket.IO an event with no argument, for WebSocket the bare name.
 */
export const NO_PAYLOAD: unique symbol = Symbol('no payload');

/** A message of the protocol. */
export interface MessageDef {
  /** AsyncAPI component key (for the built-ins, the TypeScript type name). */
  key: string;
  /** Wire name: the value of the name field, or the Socket.IO event name. */
  name: string;
  /** Who sends it. */
  direction: Direction;
  /** One-line summary from the document. */
  summary?: string;
  /** The payload schema (for WebSocket protocols the whole JSON object; for Socket.IO the first argument). */
  schema?: Record<string, unknown>;
  /** The message's examples (payloads); `NO_PAYLOAD` for an example without one. */
  examples: unknown[];
}

/** A documented server. */
export interface ServerDef {
  id: string;
  /** `ws://host:port/path` or, for Socket.IO, `http://host:port`. */
  url: string;
  host: string;
  protocol: string;
  pathname: string;
}

/** A documented channel: an address (WebSocket path) or a Socket.IO namespace. */
export interface ChannelDef {
  id: string;
  address: string;
}

/** A loaded protocol: the AsyncAPI document with its extension, ready to validate against. */
export interface Spec {
  /** Protocol id (built-in) or the document's file name without extension. */
  id: string;
  title: string;
  version: string;
  /** Absolute path of the AsyncAPI document. */
  file: string;
  transport: 'websocket' | 'socket.io';
  ext: WsconformExtension;
  /** The envelope schema, resolved (when the extension declares one). */
  envelopeSchema?: Record<string, unknown>;
  servers: ServerDef[];
  channels: ChannelDef[];
  messages: MessageDef[];
  /** Client message wire name → wire names of the server messages that answer it. */
  replies: Map<string, string[]>;
  /** Client message wire name → ids of the security schemes its operation needs. */
  operationSecurity: Map<string, string[]>;
  /** Security schemes by id. */
  securitySchemes: Record<string, Record<string, unknown>>;
  /** Looks a message up by direction and wire name. */
  message(direction: Direction, name: string): MessageDef | undefined;
}

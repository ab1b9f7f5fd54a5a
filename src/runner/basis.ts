/**
 * The basis of a rule: the sentence of the document under test that states it, a named
 * transport specification, or a decision taken where the document is silent. Reports quote
 * the basis of the rule that was judged, never a sentence fixed in a check's source, and a
 * finding whose rule rests on a decision alone grades SHOULD.
 */
import type { Basis } from '../spec/extension.js';
import type { Level } from './types.js';

export type { Basis };

/** The level a rule's basis supports: a decision alone is at most a SHOULD. */
export function levelOf(basis: Basis | undefined): Level {
  if (basis?.level === 'SHOULD') return 'SHOULD';
  return basis && basis.decision !== undefined && !basis.quote && !basis.spec ? 'SHOULD' : 'MUST';
}

/** The basis of a rule of the document: its own `basis`, else the rule itself at `source`. */
export function basisOf(rule: { basis?: Basis } | undefined, source: string): Basis {
  return rule?.basis ?? { source };
}

/** A basis as one line of a report: the quote, where it stands, or the specification or decision. */
export function renderBasis(b: Basis): string {
  const where = [b.spec, b.source].filter(Boolean).join(', ');
  if (b.quote) return `"${b.quote}"${where ? ` (${where})` : ''}`;
  if (b.spec) return b.spec;
  if (b.decision !== undefined) return `decision ${b.decision}: the document is silent, so this rule is at most a SHOULD`;
  return `stated by the document at ${b.source}`;
}

/** The distinct bases of a list, in order (by their rendering). */
export function distinctBases(list: readonly (Basis | undefined)[]): Basis[] {
  const seen = new Set<string>();
  const out: Basis[] = [];
  for (const b of list) {
    if (!b) continue;
    const key = renderBasis(b);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(b);
  }
  return out;
}

/** Transport specifications a check may rest on when the document is silent on the transport. */
export const TRANSPORT = {
  pingFrame: {
    spec: 'RFC 6455 §5.5.2',
    quote: 'Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in response, unless it already received a Close frame.',
  },
  pongPayload: {
    spec: 'RFC 6455 §5.5.3',
    quote: 'A Pong frame sent in response to a Ping frame must have identical "Application data" as found in the message body of the Ping frame being replied to.',
  },
  textFrame: {
    spec: 'RFC 6455 §5.6',
    quote: 'Text: The "Payload data" is text data encoded as UTF-8.',
  },
  tooBig: {
    spec: 'RFC 6455 §7.4.1',
    quote: '1009 indicates that an endpoint is terminating the connection because it has received a message that is too big for it to process.',
  },
  upgrade: {
    spec: 'RFC 6455 §4.2.2',
    quote: 'If the server chooses to accept the incoming connection, it MUST reply with a valid HTTP response indicating the following. 1. A Status-Line with a 101 response code',
  },
  subprotocol: {
    spec: 'RFC 6455 §4.2.2',
    quote: "The value chosen MUST be derived from the client's handshake, specifically by selecting one of the values from the |Sec-WebSocket-Protocol| field that the server is willing to use for this connection (if any).",
  },
  socketioConnect: {
    spec: 'Socket.IO protocol v5, Connection to a namespace',
    quote: 'If the server accepts the connection, then it MUST respond with a CONNECT packet with a payload containing the session ID.',
  },
  engineioHeartbeat: {
    spec: 'Engine.IO protocol v4, Heartbeat',
    quote: 'at a given interval (the pingInterval value sent in the handshake) the server sends a PING packet and the client has a few seconds (the pingTimeout value) to send a PONG packet back.',
  },
} as const satisfies Record<string, Basis>;

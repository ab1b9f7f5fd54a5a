/**
 * Faults: switches that make exactly one documented behaviour wrong, so that the conformance
 * runner can be proven to catch each one (`wsconform serve kiwi --fault no-pong`). `catches`
 * names the conformance checks that must fail under the fault.
 */
import type { Spec } from '../src/spec/model.js';
import { ReferenceServerError } from './errors.js';

/** One fault. */
export interface FaultDef {
  name: string;
  /** What it breaks, one line. */
  description: string;
  /** Built-in protocol ids it applies to. */
  protocols: string[];
  /** Ids of the conformance checks that must fail under it. */
  catches: string[];
  /**
   * More checks it fails on some protocols: where the document makes one deviation break two
   * stated rules (a connection treated as authenticated may also write).
   */
  catchesOn?: Record<string, string[]>;
  /**
   * The fault takes the whole server down (crash-on-*): checks running at the same time fail
   * with it, so the matrix judges it on its own checks alone.
   */
  disrupts?: boolean;
  /** Whether it applies to a loaded document (used for documents that are not built in). */
  applies(spec: Spec): boolean;
}

const WS = ['kiwi', 'clown', 'coda', 'aragora', 'aragora-control-plane'];
const isWs = (s: Spec) => s.transport === 'websocket';
const appPing = (s: Spec) => s.ext.keepalive?.appPing;

/** The pong's documented fields beyond its name (for `pong-missing-fields`). */
export function pongFields(spec: Spec): string[] {
  const ping = appPing(spec);
  if (!ping) return [];
  if (ping.pongFields?.length) return ping.pongFields;
  const schema = spec.message('receive', ping.pong)?.schema as { required?: string[] } | undefined;
  const name = spec.ext.nameField?.receive ?? 'type';
  return (schema?.required ?? []).filter((f) => f !== name);
}

/** Documented requests with a reply, other than the keepalive ping (for `no-reply`). */
export function documentedRequests(spec: Spec): string[] {
  const ping = appPing(spec)?.ping;
  return [...spec.replies.keys()].filter((n) => n !== ping && (spec.replies.get(n)?.length ?? 0) > 0);
}

/** Reply-only server messages: answers to a request that are not also initial messages. */
export function replyOnlyMessages(spec: Spec): string[] {
  const initial = new Set((spec.ext.initialMessages ?? []).map((m) => m.message));
  const out: string[] = [];
  for (const names of spec.replies.values()) for (const n of names) if (!initial.has(n) && !out.includes(n)) out.push(n);
  return out;
}

/** The lifecycle rules whose orphan end is a fault. */
export function strictLifecycles(spec: Spec) {
  return (spec.ext.lifecycles ?? []).filter((l) => l.strictStart !== false);
}

/** Every fault, in the order `--list-faults` prints them. */
/** Whether a bad-input rule names an answer that a connection-closing server violates. */
function documentedAnswer(rule: { action: string } | undefined): boolean {
  return rule?.action === 'reply' || rule?.action === 'ignore';
}

export const FAULTS: FaultDef[] = [
  { name: 'no-pong', description: 'the application ping is never answered with its pong', protocols: ['kiwi', 'aragora-control-plane'], catches: ['ping-pong/app-ping'], applies: (s) => !!appPing(s) },
  { name: 'pong-no-echo', description: "the pong does not carry back the ping's echoed fields", protocols: [], catches: ['ping-pong/app-ping'], applies: (s) => !!appPing(s)?.echo?.length },
  { name: 'pong-missing-fields', description: 'the pong omits its documented fields (control plane pong without timestamp)', protocols: ['aragora-control-plane'], catches: ['ping-pong/app-ping'], applies: (s) => pongFields(s).length > 0 },
  { name: 'ignore-ws-ping', description: 'WebSocket ping frames are not answered with pong frames (ws autoPong off)', protocols: WS, catches: ['ping-pong/ws-ping-frame'], applies: isWs },
  { name: 'no-keepalive', description: 'the server sends no WebSocket ping frames although the document says it does', protocols: ['coda'], catches: ['ping-pong/server-keepalive'], applies: (s) => isWs(s) && !!s.ext.keepalive?.serverPing },
  { name: 'slow-heartbeat', description: 'Socket.IO advertises pingInterval but never sends the pings', protocols: ['gemini-chat'], catches: ['ping-pong/socketio-heartbeat'], applies: (s) => s.transport === 'socket.io' },
  { name: 'seq-regress', description: 'the connection sequence number goes back once (1, 2, 1, 4, ...)', protocols: ['coda', 'aragora'], catches: ['ordering/sequence'], applies: (s) => !!s.ext.sequences?.some((r) => !r.scope) },
  { name: 'agent-seq-regress', description: 'a per-agent sequence number goes back once within one agent', protocols: ['aragora'], catches: ['ordering/sequence'], applies: (s) => !!s.ext.sequences?.some((r) => r.scope) },
  { name: 'initial-out-of-order', description: 'the first initial message is sent after the next message instead of first', protocols: ['aragora', 'aragora-control-plane'], catches: ['handshake/initial-messages'], applies: (s) => !!s.ext.initialMessages?.length },
  { name: 'initial-missing', description: 'the first initial message (connection_info, connected) is never sent', protocols: ['aragora', 'aragora-control-plane'], catches: ['handshake/initial-messages'], applies: (s) => !!s.ext.initialMessages?.length },
  { name: 'timestamp-iso', description: 'timestamps in the other representation: ISO strings for epoch-seconds protocols, epoch numbers for ISO ones', protocols: WS, catches: ['envelope/timestamps'], applies: (s) => !!s.ext.envelope?.timestamps?.length },
  { name: 'rename-name-field', description: 'the name field of server messages is renamed (event -> type, type -> event_type)', protocols: WS, catches: ['envelope/fields'], applies: isWs },
  { name: 'batch-array', description: 'stream events are batched two at a time into one JSON array frame', protocols: WS, catches: ['envelope/json-objects'], applies: isWs },
  { name: 'binary-frames', description: 'stream events are sent as binary frames instead of text frames', protocols: WS, catches: ['envelope/text-frames'], applies: isWs },
  { name: 'extra-event', description: 'one stream event goes out under an undocumented name', protocols: [...WS, 'gemini-chat'], catches: ['envelope/known-messages'], applies: () => true },
  { name: 'missing-field', description: 'a documented required payload field is dropped from the first message that has one (the same message on every connection)', protocols: [...WS, 'gemini-chat'], catches: ['envelope/schema'], applies: () => true },
  { name: 'rename-event', description: 'one documented stream event goes out under another name every time (TTS_FINISHED -> TTS_FINISHED_RENAMED)', protocols: WS, catches: ['envelope/known-messages'], applies: isWs },
  { name: 'rename-field', description: 'a documented required field is sent under another name in every instance of one message (old -> old_renamed)', protocols: [...WS, 'gemini-chat'], catches: ['envelope/schema'], applies: () => true },
  { name: 'null-field', description: 'a documented string field is null in the first instance of one message', protocols: [...WS, 'gemini-chat'], catches: ['envelope/schema'], applies: () => true },
  { name: 'accept-missing-token', description: 'a connection without any token is treated as authenticated', protocols: ['aragora', 'gemini-chat'], catches: ['auth/missing-token'], catchesOn: { aragora: ['auth/write-refused'] }, applies: (s) => !!s.ext.auth },
  { name: 'accept-bad-token', description: 'a wrong token is accepted as valid', protocols: ['aragora', 'gemini-chat'], catches: ['auth/wrong-token'], applies: (s) => !!s.ext.auth },
  { name: 'ignore-query-token', description: 'a valid ?token= query parameter is ignored (the connection is downgraded)', protocols: ['aragora'], catches: ['auth/valid-token'], applies: (s) => !!s.ext.auth?.means.some((m) => m.in === 'query') },
  { name: 'allow-unauth-writes', description: 'writes are accepted from a connection without a valid token', protocols: ['aragora'], catches: ['auth/write-refused'], applies: (s) => !!s.ext.auth?.writes?.length },
  { name: 'allow-admin-ops', description: 'a non-admin may use the admin-only operations', protocols: ['gemini-chat'], catches: ['auth/admin-refused'], applies: (s) => !!s.ext.auth?.admin?.messages.length },
  { name: 'leak-monitoring', description: 'privileged events (monitoring:event) are sent to non-admin clients too', protocols: ['gemini-chat'], catches: ['auth/privileged-feed'], applies: (s) => !!s.ext.auth?.admin?.privilegedEvents.length },
  { name: 'echo-token', description: 'the presented token appears in a server message', protocols: ['aragora', 'gemini-chat'], catches: ['auth/token-not-echoed'], applies: (s) => !!s.ext.auth },
  { name: 'accumulated-mismatch', description: 'a streamed chunk carries an accumulated text that is not the running concatenation', protocols: ['gemini-chat'], catches: ['ordering/accumulation'], applies: (s) => !!s.ext.accumulations?.length },
  { name: 'full-response-mismatch', description: 'the final message carries a full text that differs from the last accumulated text', protocols: ['gemini-chat'], catches: ['ordering/accumulation'], applies: (s) => !!s.ext.accumulations?.some((a) => a.final) },
  { name: 'lifecycle-orphan-end', description: 'an end message is sent again after its lifecycle ended (an end without a start)', protocols: ['gemini-chat'], catches: ['ordering/lifecycle'], applies: (s) => strictLifecycles(s).length > 0 },
  { name: 'unsolicited-reply', description: 'a reply (e.g. pong) is sent right after connecting, without a request', protocols: ['kiwi', 'aragora', 'aragora-control-plane', 'gemini-chat'], catches: ['ordering/reply-after-request'], applies: (s) => replyOnlyMessages(s).length > 0 },
  { name: 'no-reply', description: 'documented requests (get_loops, tool:list, chat:get-history, ...) are ignored', protocols: ['aragora', 'gemini-chat'], catches: ['request-response/replies'], applies: (s) => documentedRequests(s).length > 0 },
  { name: 'close-on-invalid-json', description: 'a frame that is not JSON closes the connection instead of the documented reply', protocols: [], catches: ['robustness/invalid-json'], applies: (s) => isWs(s) && documentedAnswer(s.ext.robustness?.invalidJson) },
  { name: 'crash-on-invalid-json', description: 'a frame that is not JSON takes the whole server down: every connection dropped, new ones refused', protocols: WS, catches: ['robustness/invalid-json'], disrupts: true, applies: (s) => isWs(s) && !!s.ext.robustness?.invalidJson },
  { name: 'ignore-unknown', description: 'an unknown message gets no answer although the document defines one', protocols: [], catches: ['robustness/unknown-message'], applies: (s) => s.ext.robustness?.unknownMessage?.action === 'reply' },
  { name: 'close-on-unknown', description: 'an unknown client message closes the connection instead of the documented answer', protocols: [], catches: ['robustness/unknown-message'], applies: (s) => documentedAnswer(s.ext.robustness?.unknownMessage) },
  { name: 'crash-on-unknown', description: 'an unknown client message takes the whole server down: every connection dropped, new ones refused', protocols: [...WS, 'gemini-chat'], catches: ['robustness/unknown-message'], disrupts: true, applies: (s) => !!s.ext.robustness?.unknownMessage },
  { name: 'crash-on-non-object', description: 'JSON that is not a message object ([], null, 42, "x") takes the whole server down', protocols: WS, catches: ['robustness/non-object-json'], disrupts: true, applies: isWs },
  { name: 'close-on-non-object', description: 'JSON that is not a message object ([], null, 42, "x") closes the connection instead of the documented answer', protocols: [], catches: ['robustness/non-object-json'], applies: (s) => isWs(s) && documentedAnswer(s.ext.robustness?.nonObjectJson ?? s.ext.robustness?.unknownMessage) },
  { name: 'accept-oversized', description: 'frames over the documented size limit are accepted instead of closing with 1009', protocols: [], catches: ['robustness/oversized-frame'], applies: (s) => isWs(s) && !!s.ext.robustness?.maxFrameBytes },
  { name: 'crash-on-oversized', description: 'a frame over the server limit takes the whole server down: every connection dropped, new ones refused', protocols: WS, catches: ['robustness/oversized-frame'], disrupts: true, applies: (s) => isWs(s) && !!(s.ext.robustness?.maxFrameBytes || s.ext.robustness?.oversizedProbeBytes) },
  { name: 'no-broadcast', description: 'each client is sent about half of the stream events, a different half per client', protocols: ['clown', 'coda', 'aragora'], catches: ['ordering/broadcast'], applies: (s) => !!s.ext.broadcast },
  { name: 'no-opening-reply', description: "the opening's first message is never answered (no connection_ack)", protocols: [], catches: ['handshake/opening'], applies: (s) => !!s.ext.opening?.steps.length },
  { name: 'operation-after-end', description: "an operation's messages are sent twice: more of them after its end", protocols: [], catches: ['ordering/operations'], applies: (s) => !!s.ext.operations?.length },
  { name: 'accept-no-subprotocol', description: 'a connection that offers no subprotocol is accepted although the document requires one', protocols: [], catches: ['handshake/subprotocol'], applies: (s) => isWs(s) && !!s.ext.subprotocol?.required },
  { name: 'wrong-close-codes', description: 'each violation the document gives a close code for is closed with 1008 instead', protocols: [], catches: ['robustness/close-codes'], applies: (s) => isWs(s) && !!s.ext.closeCodes?.length },
  { name: 'batch-unbatched', description: 'a batch is answered with one frame per reply instead of one array', protocols: [], catches: ['request-response/batch'], applies: (s) => isWs(s) && !!s.ext.batch },
  { name: 'misanswer-probes', description: 'each documented probe gets the wrong answer: its documented values changed, or an answer where none is due', protocols: [], catches: ['robustness/probes'], applies: (s) => !!s.ext.robustness?.probes?.length },
  { name: 'refuse-channel', description: 'the second documented channel address answers the upgrade with HTTP 404', protocols: ['aragora', 'aragora-control-plane'], catches: ['handshake/upgrade'], applies: (s) => isWs(s) && s.channels.length > 1 },
  { name: 'reject-namespace', description: 'the Socket.IO namespace connect is refused even with a valid token', protocols: ['gemini-chat'], catches: ['handshake/upgrade', 'auth/valid-token'], applies: (s) => s.transport === 'socket.io' },
];

/** Every check a fault must fail on a protocol (and no other). */
export function caughtBy(fault: FaultDef, protocol: string): string[] {
  return [...fault.catches, ...(fault.catchesOn?.[protocol] ?? [])];
}

/** The faults switched on for one server. */
export class FaultSet {
  private readonly names: Set<string>;
  /**
   * What a fault chose on the server's first connection that needed a choice (missing-field: the
   * message it drops a field from), so that every connection drifts alike: a recording of one
   * connection shows the drift a later run meets.
   */
  readonly chosen = new Map<string, string>();
  constructor(names: Iterable<string> = []) {
    this.names = new Set(names);
  }
  /** Whether the fault is on. */
  has(name: string): boolean {
    return this.names.has(name);
  }
  /** Whether any fault is on. */
  get any(): boolean {
    return this.names.size > 0;
  }
}

/** Checks fault names against the protocol: unknown or not applicable is a WSC_FAULT error. */
export function resolveFaults(names: string[], spec: Spec): FaultSet {
  for (const name of names) {
    const def = FAULTS.find((f) => f.name === name);
    if (!def) {
      throw new ReferenceServerError('WSC_FAULT', `unknown fault "${name}"; valid faults for ${spec.id}: ${applicableFaults(spec).join(', ') || '(none)'}`);
    }
    if (!appliesTo(def, spec)) {
      throw new ReferenceServerError('WSC_FAULT', `fault "${name}" does not apply to ${spec.id} (it applies to ${def.protocols.join(', ') || 'no built-in protocol'}); valid faults for ${spec.id}: ${applicableFaults(spec).join(', ') || '(none)'}`);
    }
  }
  return new FaultSet(names);
}

/** Whether a fault applies to a spec: by the static list for built-ins, by the document otherwise. */
export function appliesTo(def: FaultDef, spec: Spec): boolean {
  return def.protocols.includes(spec.id) || (!isBuiltinId(spec.id) && def.applies(spec));
}

/** Names of the faults that apply to a spec. */
export function applicableFaults(spec: Spec): string[] {
  return FAULTS.filter((f) => appliesTo(f, spec)).map((f) => f.name);
}

function isBuiltinId(id: string): boolean {
  return WS.includes(id) || id === 'gemini-chat';
}

/**
 * The `x-wsconform` specification extension: what an AsyncAPI 3.0 document cannot say about a
 * real-time JSON event stream, said as data so that the conformance runner and the reference
 * server are driven by the document alone.
 *
 * It lives at the root of an AsyncAPI document under the key `x-wsconform`. Message names used
 * here are wire names (the value of the name field, or the Socket.IO event name), never
 * component keys. A JSON Schema for this type is generated into
 * `schemas/x-wsconform.schema.json`; a document whose extension does not match it is rejected
 * with the path of the offending field.
 *
 * Everything is optional except `version` and `transport`: a document says only what its
 * protocol documents, and a check whose rule is absent is skipped as "not applicable".
 */
export interface WsconformExtension {
  /** Version of this extension's format. Always 1 for now. */
  version: 1;
  /** The transport: plain WebSocket frames holding JSON, or Socket.IO events. */
  transport: 'websocket' | 'socket.io';
  /**
   * Which field of a JSON object names the message, per direction (WebSocket only).
   * `receive` is the server-to-client direction, `send` client-to-server.
   */
  nameField?: { receive: string; send: string };
  /**
   * WebSocket only: how a message is framed. `object` (default): a JSON object. `array`: a JSON
   * array whose positions are its fields (Phoenix Channels V2: `[join_ref, ref, topic, event,
   * payload]`); dotted paths then address positions by index (`nameField: {receive: "3"}`,
   * `4.status`), and a message's example is the whole array.
   */
  shape?: 'object' | 'array';
  /**
   * Messages told apart by their shape instead of a name field (JSON-RPC 2.0: a response carries
   * `result` or `error` and no method). Per direction, the rules are tried in order: the first
   * whose `when` schema a message matches names it. A message no rule matches is named by
   * `nameField`, when the document has one. A run sends such a message as its payload is, with
   * no name field added.
   */
  identify?: { receive?: IdentifyRule[]; send?: IdentifyRule[] };
  /**
   * Several client messages in one frame, as a JSON array (JSON-RPC 2.0 §6): the server answers
   * with one array holding a reply per message that has an id, and nothing for the others.
   */
  batch?: BatchRule;
  /**
   * WebSocket only: the server may send several events in one text frame, as a JSON array of
   * event objects (a batch). Each event of a batch is judged as its own message. Without this
   * rule a batch is a deviation (envelope/json-objects).
   */
  batching?: EventBatching;
  /**
   * Socket.IO only: wire names of messages that travel as Socket.IO lifecycle packets rather
   * than EVENT packets (`connect`: CONNECT with `{sid}`; `connect_error`: CONNECT_ERROR with
   * `{message, data?}`; `disconnect`: DISCONNECT). Their payload is the packet's data.
   */
  lifecycle?: string[];
  /** The common envelope of server events. */
  envelope?: EnvelopeRule;
  /** Messages the server sends on connection, in this order. */
  initialMessages?: InitialMessage[];
  /** Sequence-number rules. */
  sequences?: SequenceRule[];
  /** Lifecycle pairs: a start message before its end, matched by a key. */
  lifecycles?: LifecycleRule[];
  /** Streaming accumulation: each chunk message carries the running concatenation. */
  accumulations?: AccumulationRule[];
  /** Keepalive: application ping/pong, WebSocket ping frames, Socket.IO heartbeat. */
  keepalive?: KeepaliveRule;
  /** Authentication and authorisation expectations. */
  auth?: AuthRule;
  /** What the server does with bad input. */
  robustness?: RobustnessRule;
  /**
   * Client messages a conformance run may send to make the server produce traffic, in order,
   * with the message and payload to send (defaults to the message's first AsyncAPI example).
   */
  triggers?: Trigger[];
  /**
   * Client messages and what answers them, beyond the AsyncAPI operation's `reply`: whether a
   * reply is guaranteed (default) or only possible, and the document's sentence that says so.
   */
  replies?: Record<string, ReplyRule>;
  /** The server sends the same stream events to every connected client. */
  broadcast?: BroadcastRule;
  /** A new client first receives a replay of recent events (e.g. a replay buffer). */
  replay?: ReplayRule;
  /** What the document asks of clients (judged by `wsconform judge-client`). */
  client?: ClientRules;
  /**
   * Dotted paths of client payload fields whose value scopes traffic (a session id, a request id):
   * the runner gives each connection its own value, so one check's traffic never reaches
   * another's connection. A string payload value may also say `${connectionId}`.
   */
  perConnection?: string[];
  /** The WebSocket subprotocol (`Sec-WebSocket-Protocol`) the client offers and the server selects. */
  subprotocol?: SubprotocolRule;
  /**
   * Client messages every connection sends first, each answered by the server before anything
   * else happens (e.g. `connection_init` → `connection_ack`). Every connection of a run performs
   * it, except the probes that test what happens without it.
   */
  opening?: OpeningRule;
  /**
   * Operations a client message starts and an id field correlates: the server's messages for that
   * id, which end it, and what may come after (nothing).
   */
  operations?: OperationRule[];
  /** Close codes the document requires per violation; a run provokes each on its own connection. */
  closeCodes?: CloseCodeRule[];
  /**
   * Client messages carry an id that must grow on every connection (Home Assistant: "After the
   * authentication phase messages also must contain an id"): the run numbers the field in each
   * message that has it, 1, 2, 3… per connection, keeping a given value only where it is larger
   * than the last one sent.
   */
  messageIds?: { field: string; order: 'increasing'; basis?: Basis };
  /** Free-form notes: where the document was ambiguous and what was decided. */
  decisions?: string[];
}

/** A message named by its shape. */
export interface IdentifyRule {
  /** The wire name given to a message that matches. */
  message: string;
  /** A JSON Schema the message matches, e.g. `{ required: [result] }`. */
  when: Record<string, unknown>;
}

/** A batch of client messages and its answer. */
export interface BatchRule {
  /** The messages of the batch a run sends: wire names, each with its payload (default: its first example). */
  items: { send: string; payload?: unknown }[];
  /** Dotted path of the id that correlates a reply with its request; an item without one gets no reply. */
  idField: string;
  /** Wire names of the replies (default: every server message identified by shape). */
  replies?: string[];
  basis?: Basis;
}

/** Server events batched into one frame. */
export interface EventBatching {
  /** How a batch is framed: `array`, a JSON array whose elements are the events. */
  events: 'array';
  basis?: Basis;
}

/** The subprotocol a connection negotiates (RFC 6455 §1.9, §4.2.2). */
export interface SubprotocolRule {
  /** The subprotocols the client offers, in order of preference. */
  offer: string[];
  /** A connection that offers none of them is refused (an HTTP 4xx, or a close with `refusalCode`). */
  required?: boolean;
  /** The close code of that refusal, when the document names one. */
  refusalCode?: number;
  basis?: Basis;
  /** The basis of `required` and `refusalCode`, when it is not `basis`. */
  requiredBasis?: Basis;
}

/** The opening every connection performs. */
export interface OpeningRule {
  /** The steps, in order: a client message, then one of its replies. */
  steps: OpeningStep[];
  /** The server closes a connection that has not completed the opening within this many ms. */
  serverTimeoutMs?: number;
  basis?: Basis;
}

/** One step of the opening. */
export interface OpeningStep {
  /** Wire name of the client message sent. */
  send: string;
  /** Its payload (default: the message's first example). */
  payload?: unknown;
  /** Wire names of the server messages that complete the step (any one of them). */
  expect: string[];
  /** Whether the server may send nothing else before the reply (default false). */
  exclusive?: boolean;
  basis?: Basis;
}

/** An operation: started by a client message, its server messages correlated by an id. */
export interface OperationRule {
  /** A short identifier, used in reports, e.g. `subscription`. */
  id: string;
  /** Wire name of the client message that starts an operation. */
  start: string;
  /** Dotted path of the id in the start message (and, by default, in the server's messages). */
  idField: string;
  /** Dotted path of the id in the server's messages, when it differs. */
  replyIdField?: string;
  /** Server messages that may come any number of times while the operation runs. */
  during?: string[];
  /** Server messages that end the operation (any one of them, once). */
  end: string[];
  /**
   * Where the server assigns the operation its id (Ethereum's `eth_subscribe` answers with a
   * subscription id): the dotted path of that id in the reply that carries the start's id (at
   * `replyIdField`). The operation's later messages carry it at `streamIdField`, and the cancel
   * at `cancelIdField`.
   */
  assignedIdField?: string;
  /** Dotted path of the server-assigned id in the operation's later messages (e.g. `params.subscription`). */
  streamIdField?: string;
  /** A client message that ends the operation from the client's side (its id at `idField`). */
  cancel?: string;
  /** Dotted path of the operation's id in the cancel message, when it differs from `idField` (e.g. `subscription`). */
  cancelIdField?: string;
  /** The start payload (default: the start message's first example); its id is replaced. */
  payload?: unknown;
  /**
   * `false` when the id is a name the server knows (a topic, a stream) rather than one the client
   * makes up: the start payload's own id is kept. Default true: each start gets a fresh id.
   */
  freshId?: boolean;
  /**
   * Whether the operation started with `payload` ends on its own (a query), so a run waits for
   * its end; `false` for one that runs until cancelled (a subscription). Default true.
   */
  ends?: boolean;
  basis?: Basis;
  /** The document's sentence that nothing follows an end or a cancel (default: `basis`). */
  stopBasis?: Basis;
}

/** A close code the document requires for a violation the runner can provoke. */
export interface CloseCodeRule {
  /**
   * `before-opening`: an operation started before the opening completed; `no-opening`: the
   * opening never sent (the server's `opening.serverTimeoutMs`); `second-opening`: the opening's
   * first message sent again; `duplicate-id`: an operation started with the id of one still
   * running (the first of `operations` whose `ends` is false, else the first).
   */
  violation: 'before-opening' | 'no-opening' | 'second-opening' | 'duplicate-id';
  /** The close code required. */
  code: number;
  basis?: Basis;
}

/**
 * Where a rule comes from. A verdict quotes it. `quote` is a sentence of the document under
 * test, verbatim; `spec` names a transport specification (RFC 6455, the Socket.IO protocol)
 * instead; `decision` names the decision taken where the document is silent. A rule whose only
 * basis is a decision grades SHOULD: it never fails a server at MUST level. A rule without any
 * basis is stated by the document itself (its x-wsconform rule), and grades MUST.
 */
export interface Basis {
  /** The sentence of the document that states the rule, verbatim. */
  quote?: string;
  /** Where the sentence stands: a section of the prose document, or a path inside this document. */
  source?: string;
  /** A transport specification that states the rule, e.g. `RFC 6455 §5.5.2`. */
  spec?: string;
  /** The id of the decision (DECISIONS.md, or the document's own decision notes). */
  decision?: string;
  /** `SHOULD` when the sentence itself only recommends ("should be sent"): a finding grades SHOULD. */
  level?: 'SHOULD';
}

/** What answers a client message. */
export interface ReplyRule {
  /** `true` when the document allows a reply but does not promise one: no reply is no fault. */
  optional?: boolean;
  basis?: Basis;
}

/** The server broadcasts its stream events to every client. */
export interface BroadcastRule {
  /** Wire names of the messages broadcast (default: every server message not exempt from the envelope, not initial, not a reply). */
  messages?: string[];
  basis?: Basis;
}

/** The duties of a client. */
export interface ClientRules {
  /** After the server goes away, the client reconnects. */
  reconnect?: ReconnectRule;
  /** The client sends a keepalive message at a documented interval. */
  keepalive?: ClientKeepaliveRule;
  /** Client messages that come only after another one on the same connection (gemini-chat: chat after `join-session`). */
  order?: ClientOrderRule[];
  /** Client messages that answer a server message, naming it by an id the server sent (gemini-chat: `tool:approve` with the `callId` of a `gemini:tool-request`). */
  answers?: ClientAnswerRule[];
}

/** On each connection, the client sends `first` before any of `then`. */
export interface ClientOrderRule {
  /** Wire name of the client message that comes first. */
  first: string;
  /** Wire names of the client messages that may only follow it. */
  then: string[];
  basis?: Basis;
}

/**
 * A client message that answers a server message: the value at `field` in the client's message
 * is one that the server sent at `toField` (default: `field`) in a `to` message on the same connection.
 */
export interface ClientAnswerRule {
  /** Wire names of the client's answers. */
  messages: string[];
  /** Wire name of the server message answered. */
  to: string;
  /** Dotted path of the id in the client's answer. */
  field: string;
  /** Dotted path of the id in the server's message (default: `field`). */
  toField?: string;
  basis?: Basis;
}

/**
 * A keepalive the client sends by itself, where the document states its interval (a user's
 * document: "clients must send `heartbeat` every 30 s"). An interval that appears only in an
 * example (the control plane's `setInterval(…, 30000)`) is an example value, not this rule.
 */
export interface ClientKeepaliveRule {
  /** Wire name of the client's keepalive message. */
  message: string;
  /**
   * The documented interval (ms).
   * @minimum 1
   */
  intervalMs: number;
  /**
   * How late a keepalive may come beyond the interval (ms; default: half the interval).
   * @minimum 0
   */
  toleranceMs?: number;
  basis?: Basis;
}

/** How a client reconnects after the server drops it (e.g. Clown: "Clients should implement reconnection logic"). */
export interface ReconnectRule {
  /** `exponential`: the waits between failed attempts grow; `any` (default): only that it reconnects. */
  backoff?: 'exponential' | 'any';
  /** Client messages sent before the drop that it sends again on the new connection (re-subscribes). */
  resend?: string[];
  basis?: Basis;
  /** The bases of `backoff` and `resend`, when they are not `basis`. */
  backoffBasis?: Basis;
  resendBasis?: Basis;
}

/** A new client first receives recent events again. */
export interface ReplayRule {
  /** Wire names of the messages that may be replayed (default: any server message). */
  messages?: string[];
  /** The most events a replay holds (default: no bound). */
  maxMessages?: number;
  basis?: Basis;
}

/** The envelope every server event shares. */
export interface EnvelopeRule {
  /**
   * A JSON Schema reference (relative to the document) for the envelope alone. Checked on
   * every server message not listed in `exempt`, before the message's own schema, so that an
   * envelope fault is reported once as an envelope fault.
   */
  schema: { $ref: string };
  /** Wire names of server messages that do not carry the envelope (control replies). */
  exempt?: string[];
  basis?: Basis;
  /**
   * Fields whose value is a timestamp, with the documented representation, so that drift is
   * named as a timestamp-format fault ("expected epoch seconds as a number, got an ISO string").
   */
  timestamps?: TimestampField[];
}

/** A timestamp field and its documented representation. */
export interface TimestampField {
  /** Dotted path of the field inside the message, e.g. `timestamp` or `data.timestamp`. */
  field: string;
  /** `epoch-seconds` (a number, possibly fractional), `epoch-millis` (an integer) or `iso-8601` (a string). */
  format: 'epoch-seconds' | 'epoch-millis' | 'iso-8601';
  basis?: Basis;
}

/** One message the server sends on connection. */
export interface InitialMessage {
  /** Wire name of the message. */
  message: string;
  /** `one` (default): exactly once; `any`: zero or more (e.g. one `sync` per cached loop). */
  count?: 'one' | 'any';
  /** Only at these channel addresses (default: every channel). */
  channels?: string[];
  basis?: Basis;
}

/** A sequence-number rule. */
export interface SequenceRule {
  /** Dotted path of the sequence field, e.g. `seq`. */
  field: string;
  /**
   * Dotted path of a field that scopes the sequence (e.g. `agent` for `agent_seq`: the
   * sequence increases per agent). Absent: one sequence per connection.
   */
  scope?: string;
  /** `strictly-increasing` (each value greater than the last) or `consecutive` (last + 1). */
  order: 'strictly-increasing' | 'consecutive';
  /** Wire names of messages that carry the field (default: every server message that has it). */
  messages?: string[];
  /**
   * Where the first value seen may start: `any` (default; a client may join mid-stream) or a
   * number.
   */
  start?: 'any' | number;
  basis?: Basis;
}

/** A lifecycle: a start message, optional middle messages, an end message, matched by key. */
export interface LifecycleRule {
  /** A short identifier, used in check ids and reports, e.g. `token-stream`. */
  id: string;
  /** Wire name of the start message. */
  start: string;
  /** Wire names of messages that may only come between start and end. */
  during?: string[];
  /** Wire names of messages that end the lifecycle (any one of them). */
  end: string[];
  /**
   * Dotted paths of the fields that identify one lifecycle instance (e.g. `data.agent` or
   * `callId`), read from every message of the lifecycle. Absent: one instance at a time.
   */
  key?: string[];
  /** Whether an end whose start was not observed is a fault (false when a client may join mid-stream). */
  strictStart?: boolean;
  basis?: Basis;
}

/** Streaming accumulation: `chunkField` appended in order gives `accumulatedField`. */
export interface AccumulationRule {
  /** A short identifier, e.g. `content`. */
  id: string;
  /** Wire name of the chunk message. */
  message: string;
  /** Dotted path of the new chunk. */
  chunkField: string;
  /** Dotted path of the running concatenation. */
  accumulatedField: string;
  /** Wire name of the message that ends the stream and the field holding the full text. */
  final?: { message: string; field: string };
  /** Wire names of messages that abandon the stream (the next chunk starts afresh). */
  resetOn?: string[];
  basis?: Basis;
}

/** Keepalive rules. */
export interface KeepaliveRule {
  /** Application-level ping: the client sends `ping`, the server answers with `pong`. */
  appPing?: {
    /** Wire name of the client's ping message. */
    ping: string;
    /** Wire name of the server's pong message. */
    pong: string;
    /** The payload the client sends (default: the ping message's first example). */
    payload?: unknown;
    /** Fields the pong must carry (dotted paths), beyond what its schema says. */
    pongFields?: string[];
    /** Dotted paths of the ping the pong carries back unchanged (its payload echoed). */
    echo?: string[];
    /** The document's sentence that the pong echoes the ping (default: `basis`). */
    echoBasis?: Basis;
    basis?: Basis;
  };

  /**
   * Application-level ping from the server: the server sends `ping`, the client answers with
   * `pong` (carrying back the `echo` paths). Every connection of a run answers it, so a server
   * that closes a connection whose client stays silent keeps the run's connections.
   */
  serverAppPing?: {
    /** Wire name of the server's ping message. */
    ping: string;
    /** Wire name of the client's pong message. */
    pong: string;
    /** Dotted paths of the ping the pong carries back. */
    echo?: string[];
    basis?: Basis;
  };

  /** The server sends WebSocket ping frames at this interval (milliseconds). */
  serverPing?: { intervalMs: number; timeoutMs?: number; basis?: Basis };
  /** Whether the server must answer WebSocket ping frames with pong frames (RFC 6455 5.5.2). Default true. */
  answersPingFrames?: boolean;
}

/** Authentication and authorisation expectations. */
export interface AuthRule {
  /**
   * How a token is presented. `bearer-header`: `Authorization: Bearer T` on the upgrade;
   * `query`: a query parameter; `socketio-auth`: the Socket.IO handshake `auth` object.
   */
  means: AuthMeans[];
  /**
   * What happens without a valid token: `refuse` (the connection is refused: upgrade rejected,
   * closed, or Socket.IO `connect_error`), `downgrade` (the connection stays, writes are refused),
   * or `either` (the document does not say which).
   */
  withoutToken: 'refuse' | 'downgrade' | 'either';
  /**
   * The document's sentence on what happens without a valid token (default: `basis`). Where the
   * document is silent, `withoutToken: either` with a decision: a refusal and a downgrade both
   * conform, and an accepted connection must still not be reported authenticated.
   */
  withoutTokenBasis?: Basis;
  /**
   * Authentication is only on when the server is configured with a token (Aragora: "If
   * ARAGORA_API_TOKEN is set"). A run without --token cannot tell whether it is on, so the
   * checks that expect a refusal skip unless a token is given.
   */
  optional?: boolean;
  /**
   * For `downgrade`: a message and field that report the authentication state on connect,
   * e.g. `connection_info` / `data.authenticated`.
   */
  statusMessage?: { message: string; authenticatedField: string; writeField?: string };
  /** The document's sentence on how a token travels and what happens without one. */
  basis?: Basis;
  /** Client messages that need authentication (writes). */
  writes?: string[];
  /** The document's sentence that writes need a token. */
  writesBasis?: Basis;
  /** Server messages that answer a refused write (any one of them). */
  refusals?: string[];
  /** Admin-only operations and what they may produce. */
  admin?: {
    /** Client messages only an admin may send. */
    messages: string[];
    /** Server messages that must never reach a non-admin client. */
    privilegedEvents: string[];
    /** Server messages that answer a refused admin operation (any one of them). */
    refusals?: string[];
    basis?: Basis;
  };
}

/** One way of presenting a token. */
export interface AuthMeans {
  /**
   * How the token travels; `opening-payload`: in the payload of the opening's first message (at
   * the dotted path `name`).
   */
  in: 'bearer-header' | 'query' | 'socketio-auth' | 'opening-payload';
  /** Query parameter, `auth` object key or payload path holding the token (default `token`). */
  name?: string;
}

/** What the server does with bad input. */
export interface RobustnessRule {
  /** Answer to a text frame that is not JSON: a server message name, `close`, or `ignore`. */
  invalidJson?: BadInputAnswer;
  /** Answer to a JSON object whose name is not a documented client message. */
  unknownMessage?: BadInputAnswer;
  /** The documented largest frame the server accepts, in bytes; larger frames are closed with 1009. */
  maxFrameBytes?: number;
  /** The document's sentence stating `maxFrameBytes`. */
  maxFrameBasis?: Basis;
  /**
   * Answer to valid JSON that is not an object (`[]`, `null`, `42`, `"x"`); default: the
   * `unknownMessage` answer.
   */
  nonObjectJson?: BadInputAnswer;
  /**
   * Further inputs whose answer the document states, each sent on a connection of its own (e.g.
   * JSON-RPC's invalid Request, invalid params, a notification that gets no reply).
   */
  probes?: ProbeRule[];
  /**
   * When the document states no maximum frame size: the size, in bytes, of the large frame a run
   * sends anyway. Any answer is accepted (a close, a reply, nothing); the server must keep serving.
   */
  oversizedProbeBytes?: number;
}

/** An answer to bad input. */
export interface BadInputAnswer {
  /**
   * `reply` (a message from `messages`), `close` (with an optional code), `ignore` (the
   * connection stays open and keeps answering), or `any`: the document does not say, so any
   * answer is accepted. In every case the server must keep serving new connections.
   */
  action: 'reply' | 'close' | 'ignore' | 'any';
  /**
   * For `reply`: wire names of acceptable replies. For `ignore`: wire names of messages that would
   * answer the input, none of which may come.
   */
  messages?: string[];
  /**
   * For `reply`: values the reply carries, by dotted path (e.g. `error.code: -32601`, `id: null`).
   * A reply with another value there is the wrong answer.
   */
  fields?: Record<string, unknown>;
  /**
   * For `unknownMessage`: the fields the probe carries beside its undocumented name (e.g.
   * `jsonrpc: "2.0"` and an `id`), so that it is well formed in every other way; for a document
   * with `shape: array`, the whole array (the name is put at its position).
   */
  payload?: Record<string, unknown> | unknown[];
  /** For `close`: the expected close code. */
  code?: number;
  basis?: Basis;
}

/** An input the run sends as it is, and the answer the document states for it. */
export interface ProbeRule extends BadInputAnswer {
  /** A short identifier, used in reports, e.g. `invalid-params`. */
  id: string;
  /** The JSON value sent as one text frame (Socket.IO: the EVENT data, `[event, ...args]`). */
  frame: unknown;
  /** What the input is, in words, e.g. "a Request whose method is not a string". */
  description?: string;
}

/** A client message a run may send to provoke traffic. */
export interface Trigger {
  /** Wire name of the client message. */
  message: string;
  /** The payload to send (default: the message's first example). */
  payload?: unknown;
  /** Whether sending it needs a token (write) or an admin token. */
  needs?: 'token' | 'admin';
}

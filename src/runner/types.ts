/** The data of a conformance run: checks as declared, their verdicts and findings, the report. */
import type { Basis } from '../spec/extension.js';
import type { Spec } from '../spec/model.js';
import type { Validator } from '../spec/validator.js';
import type { Connection } from '../transport/types.js';

/** A requirement's level (RFC 2119). A missed SHOULD is `non-strict` unless the run is strict. */
export type Level = 'MUST' | 'SHOULD';

/** The graded verdict of a check. */
export type Verdict = 'pass' | 'fail' | 'non-strict' | 'skip' | 'error';

/** Where a deviation was seen: a frame of a connection's wire log. */
export interface Occurrence {
  /** Index of the frame in its connection's wire log. */
  frameIndex?: number;
  /** The frame's text, shortened (tokens redacted). */
  frame?: string;
  /** JSON path of the offending value inside the message. */
  path?: string;
  /** JSON Schema path of the failing keyword. */
  schemaPath?: string;
  /** The connection whose wire log holds the frame, when it is not the observation. */
  connection?: string;
  /**
   * The frames of that wire log around the occurrence, the offending frame included (only when
   * the run's `contextFrames` is above 0, e.g. for the html reporter).
   */
  transcript?: TranscriptFrame[];
}

/** One frame of a transcript around an occurrence. */
export interface TranscriptFrame {
  /** Index of the frame in its connection's wire log. */
  frameIndex: number;
  /** Milliseconds since the connection attempt started. */
  at: number;
  /** `in`: server → client; `out`: client → server. */
  dir: 'in' | 'out';
  /** The frame's text, shortened (tokens redacted), as in `Occurrence.frame`. */
  frame: string;
}

/**
 * One kind of deviation, with how often it happened and its first occurrences. A stream that
 * repeats a fault a hundred times yields one finding with `count: 100`, not a hundred.
 */
export interface Finding {
  /** One sentence naming the deviation. */
  message: string;
  /** What the document requires. */
  expected: string;
  /** What the server did. */
  actual: string;
  /** How many times it happened. */
  count: number;
  /** The first occurrences (at most 3). */
  occurrences: Occurrence[];
  /** The basis of the rule that was judged: the document's sentence, a transport specification or a decision. */
  basis?: Basis;
  /** The level the basis supports (set by the run loop): a rule resting on a decision alone is at most a SHOULD. */
  level?: Level;
}

/** What a check's `run` returns. */
export type Outcome =
  | { verdict: 'pass'; note?: string }
  | { verdict: 'skip'; reason: string }
  | { verdict: 'fail'; findings: Finding[] };

/** A check, as declared with `defineCheck`. */
export interface CheckDef {
  /** Stable id `category/name`; never a position. */
  id: string;
  category: string;
  level: Level;
  /** What the tool does, in a short phrase. */
  description: string;
  /** What the server must do, as one sentence. */
  requirement: string;
  /**
   * The bases of the rules this check enforces on this document: its own sentences (the rules'
   * `basis`), or a named transport specification. Reports quote these, never a fixed text.
   */
  basis(spec: Spec): Basis[];
  /** `true`, or the reason the check does not apply to this document. */
  appliesTo(spec: Spec): true | string;
  /** Runs the check. A thrown exception is an `error` of the kit, never a `fail` of the server. */
  run(ctx: CheckContext): Promise<Outcome>;
  /** The check's own time budget in ms (default: derived from the run's timeouts). */
  budgetMs?(ctx: CheckContext): number;
}

/** Which credential a connection presents. */
export type Credential = 'best' | 'admin' | 'user' | 'anonymous' | { token: string; means?: import('../spec/extension.js').AuthMeans };

/** Options of `ctx.connect`. */
export interface CheckConnectOptions {
  /** Channel address (WebSocket path or Socket.IO namespace); default: the run's primary channel. */
  address?: string;
  /** Default `best`: the admin token, else the token, else none. */
  as?: Credential;
  /** Handshake timeout (default: the run's timeout). */
  timeoutMs?: number;
  /** `false`: do not perform the document's opening (the probes that test it). Default true. */
  opening?: boolean;
  /** The subprotocols to offer instead of the document's (`[]`: offer none). */
  protocols?: string[];
}

/** The shared observation: one connection that sent the triggers and listened for `observeMs`. */
export interface Observation {
  conn: Connection;
  /** How long the observation listened after the connection opened. */
  observedMs: number;
  /** Wire names of the triggers sent, in order, and the ones left out (missing credentials). */
  sent: string[];
  unsent: { message: string; needs: string }[];
  /** Triggers whose documented reply arrived: requests the server is known to answer. */
  answered: string[];
  /** With `--clients N`: the other N - 1 clients that listened through the same window. */
  clients?: Connection[];
  /** With `--clients N`: each client's application ping → pong latencies. */
  latency?: ClientLatency[];
}

/** One client's application ping → pong latencies during the observation (`--clients`). */
export interface ClientLatency {
  client: string;
  /** Pings answered, and pings that got no pong within the timeout. */
  samples: number;
  unanswered: number;
  p50Ms?: number;
  p99Ms?: number;
  maxMs?: number;
}

/** A channel of the server under test: its documented address and the URL for it. */
export interface ChannelTarget {
  address: string;
  url: string;
}

/** The run options a check sees. */
export interface RunSettings {
  url: string;
  token?: string;
  adminToken?: string;
  strict: boolean;
  /** Waiting time for one expected answer, in ms. */
  timeoutMs: number;
  /** How long the observation connection listens, in ms. */
  observeMs: number;
  /** The server's keepalive interval when configured differently from the document. */
  keepaliveIntervalMs?: number;
  /** The most connections open at once. */
  maxConnections: number;
  /** How many clients observe at once (`--clients`); undefined: the one observation connection. */
  clients?: number;
}

/** What a check's `run` receives. */
export interface CheckContext {
  spec: Spec;
  validator: Validator;
  settings: RunSettings;
  /** The primary channel (observation, active checks) and every documented channel. */
  primary: ChannelTarget;
  channels: ChannelTarget[];
  /** The shared observation (started on first use, shared by every check). */
  observation(): Promise<Observation>;
  /** Opens a connection; it is closed when the check ends. */
  connect(options?: CheckConnectOptions): Connection;
  /**
   * Every connection of the run, once every other check has finished (except the checks that
   * read the wire log themselves).
   */
  wireLog(): Promise<Connection[]>;
  /**
   * Judges the observation as it arrives: `tap` gets every frame of the observation connection
   * (both directions, in order) with the server messages it carries, first those already recorded;
   * resolves with the observation once its window is over. Call it before the check's first
   * await: the observation's wire log is bounded, and a frame it has dropped is not replayed.
   */
  watchObservation(tap: import('./stream.js').MessageTap): Promise<Observation>;
  /** The same for every connection of the run as it opens; resolves as `wireLog` does. */
  watchRun(tap: import('./stream.js').MessageTap): Promise<Connection[]>;
  /** A findings collector whose kept occurrences stay in the bounded wire logs (with their transcripts). */
  findings(): import('./findings.js').Findings;
  /**
   * How long (ms) the runner's own event loop was held up between two `performance.now()` times
   * (a loaded machine starving the runner): a timing check deducts it from a gap before blaming the server.
   */
  heldUpMs(fromMs: number, toMs: number): number;
  /** Waits; resolves early when the check is aborted. */
  sleep(ms: number): Promise<void>;
  /** Aborted when the check's budget or the run's global timeout runs out. */
  signal: AbortSignal;
}

/** The verdict on one check, as reported: the check's declared text, then what happened. */
export interface CheckResult extends Pick<CheckDef, 'id' | 'category' | 'level' | 'description' | 'requirement'> {
  /** The bases of the rules the check enforced on the document under test. */
  basis: Basis[];
  /** The bases as one line of text (the document's own sentences). */
  quote: string;
  verdict: Verdict;
  durationMs: number;
  /** Why the check was skipped, or what went wrong in the kit (`error`). */
  reason?: string;
  findings: Finding[];
}

/** Counts by verdict. */
export interface Summary {
  passed: number;
  failed: number;
  nonStrict: number;
  skipped: number;
  errors: number;
  total: number;
}

/** The report of a run (the `json` reporter writes exactly this). */
export interface RunReport {
  tool: { name: string; version: string };
  spec: { id: string; title: string; version: string; file: string };
  url: string;
  startedAt: string;
  durationMs: number;
  summary: Summary;
  checks: CheckResult[];
  /** Which documented messages the run observed, which it never saw, and the undocumented names. */
  coverage?: import('./coverage.js').Coverage;
  /**
   * What makes the run unfit to pass whatever the checks say: the target refused the
   * observation, no stream event was observed, coverage was required and missing. Any problem exits 1.
   */
  problems?: string[];
  /** The run was stopped by a signal (the CLI exits 130). */
  interrupted?: boolean;
  /** How the failures compare with a baseline (only with `--baseline`). */
  baseline?: BaselineStatus;
  /** The observation connection: how long it listened, and how many server frames it took in. */
  observation?: { observedMs: number; serverFrames: number; framesKept?: number; loopDelayMs?: { p50: number; max: number } };
  /** `judge-client`: the client's connections with the frames it sent, its attempts while the port refused, its output. */
  client?: { connections: { label: string; openedMs: number; closed?: { code: number; byClient: boolean; ms: number }; frames: TranscriptFrame[] }[]; refusedAttempts: number[]; refusedUpgrades?: { label: string; ms: number; channel: string; status: number }[]; output?: string };
  /** With `--clients N`: how many clients observed, and each one's ping → pong latency. */
  clients?: { count: number; latency: ClientLatency[] };
}

/** A failure as a baseline lists it: a check id and one of its finding messages. */
export interface BaselineEntry {
  id: string;
  message: string;
}

/** How a run's failures compare with a baseline file (see src/runner/baseline.ts). */
export interface BaselineStatus {
  /** The baseline file. */
  file: string;
  /** Whether this run wrote the file (`--update-baseline`) instead of comparing with it. */
  updated: boolean;
  /** When the baseline compared with was created (absent when `updated`). */
  createdAt?: string;
  /** Failures the baseline does not list: they fail the run. */
  new: BaselineEntry[];
  /** Failures the baseline lists and the run saw again. */
  known: BaselineEntry[];
  /** Failures the baseline lists whose check ran and did not show them: fixed since the baseline. */
  fixed: BaselineEntry[];
  /** Failures the baseline lists whose check did not run, was skipped or errored: not verified. */
  unverified: BaselineEntry[];
}

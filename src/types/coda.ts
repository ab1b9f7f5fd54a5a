/**
 * Coda WebSocket interface (`ws://localhost:8765`).
 *
 * Source: the "Coda WebSocket Interface" document. Events are flat JSON objects: the envelope
 * fields `{version, seq, timestamp, type, session_id}` sit beside the event's own fields (there
 * is no `data` object). Only `stt_result` has documented fields; the fields of `system_info`,
 * `stt_start`, `llm_start`, `llm_result`, `tts_start`, `tts_result` and `latency_trace` are
 * inferred from the document's Python integration calls and are optional (see
 * asyncapi/decisions/coda.md). No client message is documented.
 */

/** A JSON object with any fields. */
export type JsonObject = { [key: string]: unknown };

/** "All events follow a consistent structure": the envelope fields of every Coda event. */
export interface CodaEnvelope {
  /** Event format version, e.g. `1.0`. */
  version: string;
  /**
   * Sequence number, increasing over the server's events, e.g. 123.
   * @TJS-type integer
   */
  seq: number;
  /** Unix timestamp (seconds, float), e.g. 1704067200.123. */
  timestamp: number;
  /** Event type name, e.g. `stt_result`. */
  type: string;
  /**
   * Session the event belongs to, e.g. a UUID. Absent or null on events outside a session
   * (system events).
   */
  session_id?: string | null;
}

/**
 * System information and status. The document broadcasts it with
 * `broadcast_system_info({"version": "2.0.0"})`.
 */
export interface SystemInfoEvent extends CodaEnvelope {
  type: 'system_info';
  /** The information broadcast, e.g. `{"version": "2.0.0"}` (inferred; optional). */
  data?: JsonObject;
}

/** System errors and warnings. */
export interface SystemErrorEvent extends CodaEnvelope {
  type: 'system_error';
}

/** Performance metrics (CPU, memory, GPU). */
export interface SystemMetricsEvent extends CodaEnvelope {
  type: 'system_metrics';
}

/** Speech-to-text started: `integration.stt_start("continuous")`. */
export interface SttStartEvent extends CodaEnvelope {
  type: 'stt_start';
  /** Recognition mode, e.g. `continuous` (inferred; optional). */
  mode?: string;
}

/** Speech-to-text interim result. */
export interface SttInterimEvent extends CodaEnvelope {
  type: 'stt_interim';
}

/** Speech-to-text final result (the document's Event Structure example). */
export interface SttResultEvent extends CodaEnvelope {
  type: 'stt_result';
  /** The transcription, e.g. `Hello world`. */
  text: string;
  /** Recognition confidence, e.g. 0.95. */
  confidence: number;
  /** Audio duration in milliseconds, e.g. 1500.0. */
  duration_ms: number;
  /**
   * Language code, e.g. `en`. The document's `stt_final_result("Hello world", 0.95, 1500.0)`
   * passes none: absent or null when unknown.
   */
  language?: string | null;
}

/** Speech-to-text error. */
export interface SttErrorEvent extends CodaEnvelope {
  type: 'stt_error';
}

/** Language model started: `integration.llm_start("Hello world", "llama3")`. */
export interface LlmStartEvent extends CodaEnvelope {
  type: 'llm_start';
  /** The prompt, e.g. `Hello world` (inferred; optional). */
  prompt?: string;
  /** The model, e.g. `llama3` (inferred; optional). */
  model?: string;
}

/** Language model token. */
export interface LlmTokenEvent extends CodaEnvelope {
  type: 'llm_token';
}

/** Language model result: `integration.llm_result("Hi there!", 800.0, 15, 18.75)`. */
export interface LlmResultEvent extends CodaEnvelope {
  type: 'llm_result';
  /** The response text, e.g. `Hi there!` (inferred; optional). */
  text?: string;
  /** Generation time in milliseconds, e.g. 800.0 (inferred; optional). */
  duration_ms?: number;
  /** Number of tokens generated, e.g. 15 (inferred; optional). */
  token_count?: number;
  /** Generation speed, e.g. 18.75 (inferred; optional). */
  tokens_per_second?: number;
}

/** Language model error. */
export interface LlmErrorEvent extends CodaEnvelope {
  type: 'llm_error';
}

/** Text-to-speech started: `integration.tts_start("Hi there!", "default", "elevenlabs")`. */
export interface TtsStartEvent extends CodaEnvelope {
  type: 'tts_start';
  /** Text to speak, e.g. `Hi there!` (inferred; optional). */
  text?: string;
  /** Voice, e.g. `default` (inferred; optional). */
  voice_id?: string;
  /** TTS engine, e.g. `elevenlabs` (inferred; optional). */
  engine?: string;
}

/** Text-to-speech progress. */
export interface TtsProgressEvent extends CodaEnvelope {
  type: 'tts_progress';
}

/** Text-to-speech result: `integration.tts_result(600.0, 1200.0, True)`. */
export interface TtsResultEvent extends CodaEnvelope {
  type: 'tts_result';
  /** Synthesis time in milliseconds, e.g. 600.0 (inferred; optional). */
  duration_ms?: number;
  /** Duration of the produced audio in milliseconds, e.g. 1200.0 (inferred; optional). */
  audio_duration_ms?: number;
  /** Whether synthesis succeeded, e.g. true (inferred; optional). */
  success?: boolean;
}

/** Text-to-speech error. */
export interface TtsErrorEvent extends CodaEnvelope {
  type: 'tts_error';
}

/** Memory storage operation. */
export interface MemoryStoreEvent extends CodaEnvelope {
  type: 'memory_store';
}

/** Memory retrieval operation. */
export interface MemoryRetrieveEvent extends CodaEnvelope {
  type: 'memory_retrieve';
}

/** Tool execution request. */
export interface ToolCallEvent extends CodaEnvelope {
  type: 'tool_call';
}

/** Tool execution result. */
export interface ToolResultEvent extends CodaEnvelope {
  type: 'tool_result';
}

/** Tool execution error. */
export interface ToolErrorEvent extends CodaEnvelope {
  type: 'tool_error';
}

/** Conversation initiation. */
export interface ConversationStartEvent extends CodaEnvelope {
  type: 'conversation_start';
}

/** An individual conversation turn. */
export interface ConversationTurnEvent extends CodaEnvelope {
  type: 'conversation_turn';
}

/** Conversation completion. */
export interface ConversationEndEvent extends CodaEnvelope {
  type: 'conversation_end';
}

/**
 * Individual operation timing: `perf.track_operation("llm", "generate", 1200.0, {"tokens": 45})`.
 */
export interface LatencyTraceEvent extends CodaEnvelope {
  type: 'latency_trace';
  /** Component timed, e.g. `llm` (inferred; optional). */
  component?: string;
  /** Operation timed, e.g. `generate` (inferred; optional). */
  operation?: string;
  /** Operation duration in milliseconds, e.g. 1200.0 (inferred; optional). */
  duration_ms?: number;
  /** Extra measurements, e.g. `{"tokens": 45}` (inferred; optional, null when none). */
  metadata?: JsonObject | null;
}

/** Component performance summary. */
export interface ComponentTimingEvent extends CodaEnvelope {
  type: 'component_timing';
}

/** Server → client messages by wire name. */
export interface ServerEvents {
  system_info: SystemInfoEvent;
  system_error: SystemErrorEvent;
  system_metrics: SystemMetricsEvent;
  stt_start: SttStartEvent;
  stt_interim: SttInterimEvent;
  stt_result: SttResultEvent;
  stt_error: SttErrorEvent;
  llm_start: LlmStartEvent;
  llm_token: LlmTokenEvent;
  llm_result: LlmResultEvent;
  llm_error: LlmErrorEvent;
  tts_start: TtsStartEvent;
  tts_progress: TtsProgressEvent;
  tts_result: TtsResultEvent;
  tts_error: TtsErrorEvent;
  memory_store: MemoryStoreEvent;
  memory_retrieve: MemoryRetrieveEvent;
  tool_call: ToolCallEvent;
  tool_result: ToolResultEvent;
  tool_error: ToolErrorEvent;
  conversation_start: ConversationStartEvent;
  conversation_turn: ConversationTurnEvent;
  conversation_end: ConversationEndEvent;
  latency_trace: LatencyTraceEvent;
  component_timing: ComponentTimingEvent;
}

/** Client → server messages by wire name: the document describes none. */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ClientMessages {}

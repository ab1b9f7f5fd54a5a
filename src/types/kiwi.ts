/**
 * Kiwi voice assistant event stream (`ws://localhost:7789/api/events`).
 *
 * Source: the Kiwi "WebSocket Events" document. Every server event is a JSON object
 * `{event, data, timestamp, source}`; the client sends `{"type": "ping"}` and gets `{"event": "pong"}`.
 */

/** A JSON object with any fields. */
export type JsonObject = { [key: string]: unknown };

/** "All events follow the same structure": the envelope of every Kiwi event. */
export interface KiwiEnvelope {
  /** Event type name. */
  event: string;
  /** Event-specific payload. */
  data: JsonObject;
  /** Unix timestamp (seconds, float). */
  timestamp: number;
  /** Module that emitted the event. */
  source: string;
}

/** Assistant state transition. State names are examples (`IDLE`, `LISTENING`), not an exhaustive list. */
export interface StateChangedEvent extends KiwiEnvelope {
  event: 'STATE_CHANGED';
  data: {
    /** The state before the transition, e.g. `IDLE`. */
    old: string;
    /** The state after the transition, e.g. `LISTENING`. */
    new: string;
  };
}

/** Wake word detected. */
export interface WakeWordDetectedEvent extends KiwiEnvelope {
  event: 'WAKE_WORD_DETECTED';
  data: {
    /** The wake word heard, e.g. `kiwi`. */
    text: string;
  };
}

/** STT transcription complete. */
export interface SpeechRecognizedEvent extends KiwiEnvelope {
  event: 'SPEECH_RECOGNIZED';
  data: {
    /** The transcription. */
    text: string;
    /** Language code, e.g. `en`. */
    language: string;
  };
}

/** Speaker identified by voiceprint. */
export interface SpeakerIdentifiedEvent extends KiwiEnvelope {
  event: 'SPEAKER_IDENTIFIED';
  data: {
    /** Speaker name, e.g. `Owner`. */
    name: string;
    /** Speaker priority (0 is the owner in the document's example). */
    priority: number;
    /** Identification confidence, e.g. 0.95. */
    confidence: number;
  };
}

/** Streaming LLM token. */
export interface LlmTokenEvent extends KiwiEnvelope {
  event: 'LLM_TOKEN';
  data: {
    /** The token text. */
    token: string;
  };
}

/** Full LLM response complete. */
export interface LlmCompleteEvent extends KiwiEnvelope {
  event: 'LLM_COMPLETE';
  data: {
    /** The full response text. */
    text: string;
  };
}

/** TTS playback started. */
export interface TtsStartedEvent extends KiwiEnvelope {
  event: 'TTS_STARTED';
  data: {
    /** Text being spoken. */
    text: string;
    /** TTS provider, e.g. `kokoro`. */
    provider: string;
  };
}

/** TTS playback finished (empty payload). */
export interface TtsFinishedEvent extends KiwiEnvelope {
  event: 'TTS_FINISHED';
  data: JsonObject;
}

/** Telegram approval requested for voice command. */
export interface ApprovalRequestedEvent extends KiwiEnvelope {
  event: 'APPROVAL_REQUESTED';
  data: {
    /** Speaker asking, e.g. `Guest`. */
    speaker: string;
    /** The voice command awaiting approval. */
    command: string;
  };
}

/** Approval resolved. */
export interface ApprovalResolvedEvent extends KiwiEnvelope {
  event: 'APPROVAL_RESOLVED';
  data: {
    /** Whether the command was approved. */
    approved: boolean;
    /** Speaker whose command it was. */
    speaker: string;
  };
}

/** OpenClaw exec approval requested. */
export interface ExecApprovalRequestedEvent extends KiwiEnvelope {
  event: 'EXEC_APPROVAL_REQUESTED';
  data: {
    /** The command awaiting approval, e.g. `git push`. */
    command: string;
    /** Identifier of the approval request. */
    request_id: string;
  };
}

/** Exec approval resolved. */
export interface ExecApprovalResolvedEvent extends KiwiEnvelope {
  event: 'EXEC_APPROVAL_RESOLVED';
  data: {
    /** Whether the command was approved. */
    approved: boolean;
    /** Identifier of the approval request. */
    request_id: string;
  };
}

/** Personality switched. */
export interface SoulChangedEvent extends KiwiEnvelope {
  event: 'SOUL_CHANGED';
  data: {
    /** Soul identifier, e.g. `comedian`. */
    soul: string;
    /** Display name, e.g. `Comedian`. */
    name: string;
  };
}

/** Error occurred. */
export interface KiwiErrorEvent extends KiwiEnvelope {
  event: 'ERROR';
  data: {
    /** Error message. */
    message: string;
    /** Module where the error occurred, e.g. `tts`. */
    source: string;
  };
}

/**
 * Reply to `{"type": "ping"}`. The document shows `{"event": "pong"}` alone: no `data`,
 * `timestamp` or `source` (see asyncapi/DECISIONS.md, kiwi-pong).
 */
export interface PongReply {
  event: 'pong';
  /** Not documented for pong; allowed. */
  data?: JsonObject;
  /** Not documented for pong; allowed, a float when present. */
  timestamp?: number;
  /** Not documented for pong; allowed. */
  source?: string;
}

/** "Use this to keep the connection alive or check connectivity." */
export interface PingCommand {
  type: 'ping';
}

/** Server → client messages by wire name. */
export interface ServerEvents {
  STATE_CHANGED: StateChangedEvent;
  WAKE_WORD_DETECTED: WakeWordDetectedEvent;
  SPEECH_RECOGNIZED: SpeechRecognizedEvent;
  SPEAKER_IDENTIFIED: SpeakerIdentifiedEvent;
  LLM_TOKEN: LlmTokenEvent;
  LLM_COMPLETE: LlmCompleteEvent;
  TTS_STARTED: TtsStartedEvent;
  TTS_FINISHED: TtsFinishedEvent;
  APPROVAL_REQUESTED: ApprovalRequestedEvent;
  APPROVAL_RESOLVED: ApprovalResolvedEvent;
  EXEC_APPROVAL_REQUESTED: ExecApprovalRequestedEvent;
  EXEC_APPROVAL_RESOLVED: ExecApprovalResolvedEvent;
  SOUL_CHANGED: SoulChangedEvent;
  ERROR: KiwiErrorEvent;
  pong: PongReply;
}

/** Client → server messages by wire name. */
export interface ClientMessages {
  ping: PingCommand;
}

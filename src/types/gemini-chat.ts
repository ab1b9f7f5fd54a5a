/**
 * Gemini chat server (Socket.IO, `http://localhost:3000`, namespace `/`).
 *
 * Source: the Gemini chat "WebSocket Events Reference" document. Every message is a Socket.IO
 * event whose name is the wire name and whose first argument is the payload typed here (there
 * is no envelope). The client authenticates with a JWT in the handshake `auth.token`;
 * `monitoring:*` operations are admin only. Fields the document reads but does not type are
 * typed loosely (see asyncapi/decisions/gemini-chat.md).
 */

/** A JSON object with any fields. */
export type JsonObject = { [key: string]: unknown };

/** A timestamp whose representation the document does not state: an ISO 8601 string or epoch milliseconds. */
export type LooseTimestamp = string | number;

// ---------------------------------------------------------------- Socket.IO lifecycle

/** Emitted when successfully connected to the server (Socket.IO CONNECT packet). */
export interface SioConnectPayload {
  /** The Socket.IO session id. */
  sid: string;
}

/** Emitted when connection fails (Socket.IO CONNECT_ERROR packet), e.g. authentication failed. */
export interface SioConnectErrorPayload {
  /** Why the connection failed; the document's client logs `error.message`. */
  message: string;
  /** Additional error data. */
  data?: unknown;
}

// ---------------------------------------------------------------- Session management

/** Join a specific session to receive events for that session. */
export interface JoinSessionCommand {
  /** Session id, e.g. `session_123_456`. */
  sessionId: string;
}

/** Confirmation that session was joined successfully. */
export interface SessionJoinedPayload {
  /** The joined session id, e.g. `session_123_456`. */
  sessionId: string;
}

/**
 * Session-related error occurred; "all WebSocket operations can emit error events". Common
 * messages: Authentication failed, Session not found, Access denied, Tool execution failed,
 * Invalid message format (examples, not an exhaustive list).
 */
export interface ChatErrorPayload {
  /** Error message, e.g. `Session not found`. */
  message: string;
}

// ---------------------------------------------------------------- Chat operations

/** Send a message to Gemini. */
export interface ChatMessageCommand {
  /** The message text, e.g. `Hello, Gemini! How can you help me today?`. */
  content: string;
}

/** Streaming text content from Gemini. */
export interface GeminiContentPayload {
  /** New text chunk. */
  text: string;
  /** Full response so far. */
  accumulated: string;
}

/** Gemini's internal reasoning (Gemini 2.0+ models). */
export interface GeminiThoughtPayload {
  /** The reasoning; its type is not documented (text or a structured thought). */
  thought: unknown;
  /** A summary of the reasoning; its type is not documented. */
  summary: unknown;
}

/** Gemini is requesting to execute a tool. */
export interface GeminiToolRequestPayload {
  /** Identifier of the tool call. */
  callId: string;
  /** Tool name. */
  tool: string;
  /** Tool arguments. */
  args: JsonObject;
}

/** Result of tool execution. */
export interface GeminiToolResultPayload {
  /** Identifier of the tool call. */
  callId: string;
  /** The tool's result; its type is not documented. */
  result: unknown;
}

/** Message generation completed. */
export interface GeminiDonePayload {
  /** The full response text. */
  fullResponse: string;
  /** When generation completed (ISO 8601 string or epoch milliseconds). */
  timestamp: LooseTimestamp;
}

/** Message generation was cancelled. */
export interface GeminiCancelledPayload {
  /** Cancellation message. */
  message: string;
}

/** Error occurred during message generation. */
export interface GeminiErrorPayload {
  /** The error; its type is not documented (a message or a structured error). */
  error: unknown;
}

/** Typing indicator for multi-user sessions. */
export interface ChatTypingPayload {
  /** The user who is typing. */
  userId: string;
  /** Whether the user is typing. */
  typing: boolean;
}

/** Conversation was cleared. */
export interface ChatClearedPayload {
  /** When the conversation was cleared (ISO 8601 string or epoch milliseconds). */
  timestamp: LooseTimestamp;
}

/** Conversation history response. */
export interface ChatHistoryPayload {
  /** The conversation history, a list of turns whose shape is not documented. */
  history: unknown[];
  /** When the history was retrieved (ISO 8601 string or epoch milliseconds). */
  timestamp: LooseTimestamp;
}

// ---------------------------------------------------------------- Tool operations

/** Execute a tool manually. */
export interface ToolExecuteCommand {
  /** Tool name, e.g. `readFile`. */
  name: string;
  /** Tool arguments, e.g. `{"path": "/workspace/file.txt"}`. */
  args: JsonObject;
  /** Optional call identifier (`optional-call-id` in the document). */
  callId?: string;
}

/** Approve a tool execution request. */
export interface ToolApproveCommand {
  /** The call to approve, e.g. `call_123_456`. */
  callId: string;
}

/** Reject a tool execution request. */
export interface ToolRejectCommand {
  /** The call to reject, e.g. `call_123_456`. */
  callId: string;
  /** Why, e.g. `Security concern`. */
  reason?: string;
}

/** Tool execution started. */
export interface ToolExecutionStartPayload {
  /** Tool name. */
  name: string;
  /** Tool arguments. */
  args: JsonObject;
  /** Identifier of the tool call. */
  callId: string;
}

/** Tool execution completed successfully. */
export interface ToolExecutionCompletePayload {
  /** Identifier of the tool call (the tool-execution lifecycle key). */
  callId: string;
  /** Tool name. */
  name: string;
  /** The tool's result; its type is not documented. */
  result: unknown;
  /** Display form of the result; its type is not documented. */
  resultDisplay: unknown;
  /** Execution time in milliseconds. */
  executionTime: number;
}

/** Tool execution failed. */
export interface ToolExecutionErrorPayload {
  /** Identifier of the tool call (the tool-execution lifecycle key). */
  callId: string;
  /** Tool name. */
  name: string;
  /** The error; its type is not documented. */
  error: unknown;
  /** Execution time in milliseconds. */
  executionTime: number;
}

/** Tool execution was approved. */
export interface ToolApprovedPayload {
  /** Who approved. */
  approvedBy: string;
  /** Identifier of the tool call. */
  callId: string;
  /** When it was approved (ISO 8601 string or epoch milliseconds). */
  timestamp: LooseTimestamp;
}

/** Tool execution was rejected. */
export interface ToolRejectedPayload {
  /** Who rejected. */
  rejectedBy: string;
  /** Why, when the rejection gave a reason. */
  reason?: string;
  /** Identifier of the tool call. */
  callId: string;
}

/** One available tool. */
export interface ToolDescription {
  /** Tool name. */
  name: string;
  /** What the tool does. */
  description: string;
  /** The tool's parameters (a declaration whose shape is not documented). */
  parameters: unknown;
}

/** Available tools list. */
export interface ToolListResponsePayload {
  /** The tools. */
  tools: ToolDescription[];
}

// ---------------------------------------------------------------- Monitoring (admin only)

/** Request historical events. All fields are optional. */
export interface MonitoringGetEventsCommand {
  /** Only this user's events, e.g. `user_123`. */
  userId?: string;
  /** Only this session's events, e.g. `session_456`. */
  sessionId?: string;
  /** At most this many events, e.g. 100. */
  limit?: number;
}

/** Request activity statistics. */
export interface MonitoringGetStatsCommand {
  /** Only this user's statistics, e.g. `user_123`. */
  userId?: string;
}

/** Broadcast message to all engineers. */
export interface MonitoringBroadcastCommand {
  /** The message, e.g. `System maintenance in 10 minutes`. */
  message: string;
  /** Severity: `info`, `warning` or `error` (the document's comment lists exactly these). */
  type: 'info' | 'warning' | 'error';
}

/** Real-time activity event. */
export interface MonitoringActivityPayload {
  /** Activity type, e.g. `chat` (an example, not an exhaustive list). */
  type: string;
  /**
   * The user the activity belongs to. The document prints `event.userId` and never types it; an
   * activity that belongs to no user may carry `null` (decision gemini-chat-monitoring-user).
   */
  userId: string | null;
  /** Activity details, e.g. `userMessage` for a chat. */
  data: JsonObject;
  /** When it happened (ISO 8601 string or epoch milliseconds). */
  timestamp: LooseTimestamp;
}

/** Historical events response. */
export interface MonitoringEventsPayload {
  /** The events. */
  events: unknown[];
}

/** Activity statistics response. */
export interface MonitoringStatsPayload {
  /** Total number of events. */
  totalEvents: number;
  /** Counts by activity type; its shape is not documented. */
  byType: unknown;
  /** Counts by user; its shape is not documented. */
  byUser: unknown;
  /** Tool usage; its shape is not documented. */
  toolUsage: unknown;
}

// ---------------------------------------------------------------- System

/** System broadcast message (received by engineers). */
export interface SystemBroadcastPayload {
  /** The message. */
  message: string;
  /** Severity as sent by the broadcaster (`info`, `warning`, `error`). */
  type: string;
  /** Who broadcast it. */
  from: string;
  /** When it was broadcast (ISO 8601 string or epoch milliseconds). */
  timestamp: LooseTimestamp;
}

/** Server → client messages by wire name (Socket.IO event name → first argument). */
export interface ServerEvents {
  connect: SioConnectPayload;
  connect_error: SioConnectErrorPayload;
  disconnect: void;
  'session-joined': SessionJoinedPayload;
  error: ChatErrorPayload;
  'gemini:content': GeminiContentPayload;
  'gemini:thought': GeminiThoughtPayload;
  'gemini:tool-request': GeminiToolRequestPayload;
  'gemini:tool-result': GeminiToolResultPayload;
  'gemini:done': GeminiDonePayload;
  'gemini:cancelled': GeminiCancelledPayload;
  'gemini:error': GeminiErrorPayload;
  'chat:typing': ChatTypingPayload;
  'chat:cleared': ChatClearedPayload;
  'chat:history': ChatHistoryPayload;
  'tool:execution-start': ToolExecutionStartPayload;
  'tool:execution-complete': ToolExecutionCompletePayload;
  'tool:execution-error': ToolExecutionErrorPayload;
  'tool:approved': ToolApprovedPayload;
  'tool:rejected': ToolRejectedPayload;
  'tool:list-response': ToolListResponsePayload;
  'monitoring:event': MonitoringActivityPayload;
  'monitoring:events': MonitoringEventsPayload;
  'monitoring:stats': MonitoringStatsPayload;
  'system:broadcast': SystemBroadcastPayload;
}

/** Client → server messages by wire name (`void`: emitted with no argument). */
export interface ClientMessages {
  'join-session': JoinSessionCommand;
  'chat:message': ChatMessageCommand;
  'chat:cancel': void;
  'chat:clear': void;
  'chat:get-history': void;
  'tool:execute': ToolExecuteCommand;
  'tool:approve': ToolApproveCommand;
  'tool:reject': ToolRejectCommand;
  'tool:list': void;
  'monitoring:subscribe': void;
  'monitoring:unsubscribe': void;
  'monitoring:get-events': MonitoringGetEventsCommand;
  'monitoring:get-stats': MonitoringGetStatsCommand;
  'monitoring:broadcast': MonitoringBroadcastCommand;
}

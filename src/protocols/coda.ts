import { defineProtocol } from './define.js';

export default defineProtocol({
  id: 'coda',
  title: 'Coda WebSocket interface',
  version: '1.0.0',
  description:
    "Real-time event broadcasting from Coda's core components (STT, LLM, TTS, memory, tools, " +
    'conversation, performance) to dashboards and monitoring tools. Formalised from the "Coda ' +
    'WebSocket Interface" document (shared/seeds/002). Decisions: asyncapi/decisions/coda.md.',
  servers: {
    local: { host: 'localhost:8765', protocol: 'ws', description: 'The documented default bind address.' },
  },
  channels: {
    events: { address: '/', description: 'The event broadcast; every connected client receives every event.' },
  },
  replies: {},
  envelope: {
    type: 'CodaEnvelope',
    timestamps: [{ field: 'timestamp', format: 'epoch-seconds' }],
  },
  extension: {
    transport: 'websocket',
    nameField: { receive: 'type', send: 'type' },
    sequences: [{ field: 'seq', order: 'strictly-increasing' }],
    lifecycles: [
      {
        id: 'stt',
        start: 'stt_start',
        during: ['stt_interim'],
        end: ['stt_result', 'stt_error'],
        key: ['session_id'],
        strictStart: false,
      },
      {
        id: 'llm',
        start: 'llm_start',
        during: ['llm_token'],
        end: ['llm_result', 'llm_error'],
        key: ['session_id'],
        strictStart: false,
      },
      {
        id: 'tts',
        start: 'tts_start',
        during: ['tts_progress'],
        end: ['tts_result', 'tts_error'],
        key: ['session_id'],
        strictStart: false,
      },
      {
        id: 'conversation',
        start: 'conversation_start',
        during: ['conversation_turn'],
        end: ['conversation_end'],
        key: ['session_id'],
        strictStart: false,
      },
    ],
    keepalive: {
      serverPing: { intervalMs: 20000, timeoutMs: 10000 },
      answersPingFrames: true,
    },
    robustness: {
      invalidJson: { action: 'any' },
      unknownMessage: { action: 'any' },
      oversizedProbeBytes: 2097152,
    },
  },
});

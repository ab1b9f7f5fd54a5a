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
    basis: { quote: 'All events follow a consistent structure:', source: 'Event Structure' },
    timestamps: [
      {
        field: 'timestamp',
        format: 'epoch-seconds',
        basis: { quote: '"timestamp": 1704067200.123,', source: 'Event Structure' },
      },
    ],
  },
  extension: {
    transport: 'websocket',
    nameField: { receive: 'type', send: 'type' },
    sequences: [{ field: 'seq', order: 'strictly-increasing', basis: { decision: 'coda-seq' } }],
    // No lifecycles: the document only lists the event names, and its replay buffer sends recent
    // `*_result`/`*_error` events without their start (decision coda-lifecycles).
    keepalive: {
      serverPing: {
        intervalMs: 20000,
        timeoutMs: 10000,
        basis: { quote: 'ping_interval=20, # Ping interval (seconds)', source: 'Server Configuration' },
      },
      answersPingFrames: true,
    },
    robustness: {
      invalidJson: { action: 'any', basis: { decision: 'coda-bad-input' } },
      unknownMessage: { action: 'any', basis: { decision: 'coda-bad-input' } },
      oversizedProbeBytes: 2097152,
    },
    broadcast: { basis: { quote: '**Real-time event broadcasting** to all connected clients', source: 'Features' } },
    // The bound is the documented `max_replay_events=50, # Replay buffer size` (decision coda-replay).
    replay: {
      maxMessages: 50,
      basis: {
        quote: 'New clients automatically receive a replay buffer of recent high-priority events to catch up on the current state.',
        source: 'Event Replay',
      },
    },
  },
});

import { defineProtocol } from './define.js';

export default defineProtocol({
  id: 'kiwi',
  title: 'Kiwi voice assistant event stream',
  version: '1.0.0',
  description:
    'Real-time event stream of the Kiwi voice assistant for custom integrations and UIs. ' +
    'Formalised from the Kiwi "WebSocket Events" document (shared/seeds/000).',
  servers: {
    local: { host: 'localhost:7789', protocol: 'ws', description: 'The documented local address.' },
  },
  channels: {
    events: { address: '/api/events', description: 'The event stream; the dashboard uses it for live updates.' },
  },
  replies: { ping: ['pong'] },
  envelope: {
    type: 'KiwiEnvelope',
    exempt: ['pong'],
    basis: { quote: 'All events follow the same structure:', source: 'Event Format' },
    timestamps: [
      {
        field: 'timestamp',
        format: 'epoch-seconds',
        basis: { quote: '`timestamp` | float | Unix timestamp', source: 'Event Format' },
      },
    ],
  },
  extension: {
    transport: 'websocket',
    nameField: { receive: 'event', send: 'type' },
    keepalive: {
      appPing: {
        ping: 'ping',
        pong: 'pong',
        basis: { quote: 'Use this to keep the connection alive or check connectivity.', source: 'Ping' },
      },
      answersPingFrames: true,
    },
    robustness: {
      invalidJson: { action: 'any', basis: { decision: 'kiwi-bad-input' } },
      unknownMessage: { action: 'any', basis: { decision: 'kiwi-bad-input' } },
      oversizedProbeBytes: 2097152,
    },
    triggers: [{ message: 'ping' }],
    replies: {
      ping: { basis: { quote: '{"event": "pong"}', source: 'Ping' } },
    },
  },
});

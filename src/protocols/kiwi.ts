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
    timestamps: [{ field: 'timestamp', format: 'epoch-seconds' }],
  },
  extension: {
    transport: 'websocket',
    nameField: { receive: 'event', send: 'type' },
    keepalive: {
      appPing: { ping: 'ping', pong: 'pong' },
      answersPingFrames: true,
    },
    robustness: {
      invalidJson: { action: 'any' },
      unknownMessage: { action: 'any' },
      oversizedProbeBytes: 2097152,
    },
    triggers: [{ message: 'ping' }],
  },
});

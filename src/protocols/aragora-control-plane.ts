import type { Basis } from '../spec/extension.js';
import { defineProtocol } from './define.js';

/** "Server responds with:" the pong, with its timestamp. */
const PONG: Basis = { quote: '{ "type": "pong", "timestamp": 1732735053.123 }', source: 'Ping' };

export default defineProtocol({
  id: 'aragora-control-plane',
  title: 'Aragora control plane stream',
  version: '1.0.0',
  description:
    '"The control plane provides a separate WebSocket stream for agent orchestration and task lifecycle ' +
    'events. This is useful for monitoring dashboards and coordination UIs." Formalised from the ' +
    '"Control Plane Stream" section of the Aragora "WebSocket Events Reference" document (shared/seeds/003); ' +
    'the debate stream of the same document is the protocol `aragora`.',
  servers: {
    local: { host: 'localhost:8766', protocol: 'ws', description: 'The documented local address.' },
  },
  channels: {
    stream: { address: '/api/control-plane/stream', description: 'The control plane stream (the address the JavaScript client example uses).' },
    wsControlPlane: { address: '/ws/control-plane', description: 'The same stream at its second documented address.' },
  },
  replies: { ping: ['pong'] },
  // The section shows `{type, timestamp, data}` on every event but states no common envelope:
  // the envelope and its timestamps are decisions, so they grade SHOULD.
  envelope: {
    type: 'ControlPlaneEnvelope',
    exempt: ['pong'],
    basis: { decision: 'aragora-control-plane-envelope' },
    timestamps: [
      { field: 'timestamp', format: 'epoch-seconds', basis: { decision: 'aragora-control-plane-timestamps' } },
      { field: 'data.last_heartbeat', format: 'epoch-seconds', basis: { decision: 'aragora-control-plane-timestamps' } },
    ],
  },
  extension: {
    transport: 'websocket',
    nameField: { receive: 'type', send: 'type' },
    initialMessages: [
      {
        message: 'connected',
        count: 'one',
        basis: { quote: 'On connection, the server sends a `connected` event:', source: 'Connection Flow' },
      },
    ],
    lifecycles: [
      {
        id: 'task',
        start: 'task_submitted',
        during: ['task_claimed', 'task_started', 'task_failed', 'task_retrying'],
        end: ['task_completed', 'task_cancelled', 'task_dead_lettered'],
        key: ['data.task_id'],
        strictStart: false,
        basis: { decision: 'aragora-control-plane-task-lifecycle' },
      },
    ],
    keepalive: {
      appPing: { ping: 'ping', pong: 'pong', pongFields: ['timestamp'], basis: PONG },
    },
    robustness: {
      invalidJson: { action: 'any', basis: { decision: 'aragora-control-plane-bad-input' } },
      unknownMessage: { action: 'any', basis: { decision: 'aragora-control-plane-bad-input' } },
      oversizedProbeBytes: 2097152,
    },
    triggers: [{ message: 'ping' }],
    replies: { ping: { basis: PONG } },
  },
});

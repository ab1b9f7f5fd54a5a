import type { Basis } from '../spec/extension.js';
import { defineProtocol } from './define.js';

/** The document's sentence on the replies to the three writes. */
const REPLIES: Basis = {
  quote: 'The server replies with `ack`, `error`, or `auth_revoked` depending on the request and auth state.',
  source: 'Client → Server Messages',
};

export default defineProtocol({
  id: 'aragora',
  title: 'Aragora debate stream',
  version: '1.0.0',
  description:
    'Control messages and stream events of the Aragora WebSocket server (debates, Nomic loop, ' +
    'audience participation, gauntlet, explainability, workflow templates, receipts, KM resilience). ' +
    'Formalised from the first part of the Aragora "WebSocket Events Reference" document (shared/seeds/003); ' +
    'the "Control Plane Stream" section is the separate protocol `aragora-control-plane`.',
  servers: {
    local: {
      host: 'localhost:8765',
      protocol: 'ws',
      description:
        'The documented local address (`ws://localhost:8765/ws`). Production is `wss://api.aragora.ai/ws` ' +
        '(not a test target). "The server broadcasts all events to all connected clients, so clients should ' +
        'filter by `loop_id` (or `data.debate_id`) when they only care about one debate."',
    },
  },
  channels: {
    ws: { address: '/ws', description: 'The stream as the live UI uses it: "The live UI uses `/ws`."' },
    root: { address: '/', description: 'The same stream at the root: "The WebSocket server accepts `/` or `/ws`."' },
  },
  replies: {
    get_loops: ['loop_list'],
    user_vote: ['ack', 'error', 'auth_revoked'],
    user_suggestion: ['ack', 'error', 'auth_revoked'],
    wisdom_submission: ['ack', 'error', 'auth_revoked'],
  },
  securitySchemes: {
    bearerHeader: {
      type: 'http',
      scheme: 'bearer',
      description:
        '"If `ARAGORA_API_TOKEN` is set, include an `Authorization: Bearer` header during the handshake." ' +
        '"Header-based auth is still supported for proxies or non-browser clients."',
    },
    queryToken: {
      type: 'httpApiKey',
      name: 'token',
      in: 'query',
      description:
        '"Browser clients cannot set custom headers; the server accepts a `token` query parameter for ' +
        'WebSocket authentication (e.g. `wss://.../ws?token=...`)." The Python SDK (`AragoraWebSocket`) uses it.',
    },
  },
  serverSecurity: ['bearerHeader', 'queryToken'],
  operationSecurity: {
    user_vote: ['bearerHeader', 'queryToken'],
    user_suggestion: ['bearerHeader', 'queryToken'],
    wisdom_submission: ['bearerHeader', 'queryToken'],
  },
  envelope: {
    type: 'AragoraEnvelope',
    exempt: ['connection_info', 'loop_list', 'sync', 'ack', 'error', 'auth_revoked'],
    basis: {
      quote: 'Stream events (emitted by `SyncEventEmitter`) share a common envelope:',
      source: 'Stream Event Envelope',
    },
    timestamps: [
      {
        field: 'timestamp',
        format: 'epoch-seconds',
        basis: { quote: '`timestamp` is epoch seconds (float).', source: 'Stream Event Envelope' },
      },
    ],
  },
  extension: {
    transport: 'websocket',
    nameField: { receive: 'type', send: 'type' },
    initialMessages: [
      {
        message: 'connection_info',
        count: 'one',
        basis: { quote: '`connection_info` (auth and client metadata)', source: 'Initial Messages' },
      },
      {
        message: 'loop_list',
        count: 'one',
        basis: { quote: '`loop_list` (active loops/debates)', source: 'Initial Messages' },
      },
      {
        message: 'sync',
        count: 'any',
        basis: {
          quote: '`sync` for each cached loop state (DebateStreamServer on port 8765 only)',
          source: 'Initial Messages',
        },
      },
    ],
    // The document names the counters and shows one envelope; it states no order (aragora-sequences).
    // Events without an agent carry `agent: ""` and `agent_seq: 0`: the runner skips a message
    // whose scope value is absent, null or "".
    sequences: [
      { field: 'seq', order: 'strictly-increasing', start: 'any', basis: { decision: 'aragora-sequences' } },
      {
        field: 'agent_seq',
        scope: 'agent',
        order: 'strictly-increasing',
        start: 'any',
        basis: { decision: 'aragora-sequences' },
      },
    ],
    // The document lists the names only; the pairs are a decision (aragora-lifecycles).
    lifecycles: [
      {
        id: 'token-stream',
        start: 'token_start',
        during: ['token_delta'],
        end: ['token_end'],
        key: ['loop_id', 'agent'],
        strictStart: false,
        basis: { decision: 'aragora-lifecycles' },
      },
      {
        id: 'debate',
        start: 'debate_start',
        end: ['debate_end'],
        key: ['loop_id'],
        strictStart: false,
        basis: { decision: 'aragora-lifecycles' },
      },
      {
        id: 'nomic-cycle',
        start: 'cycle_start',
        end: ['cycle_end'],
        key: ['loop_id'],
        strictStart: false,
        basis: { decision: 'aragora-lifecycles' },
      },
      {
        id: 'nomic-phase',
        start: 'phase_start',
        end: ['phase_end'],
        key: ['loop_id'],
        strictStart: false,
        basis: { decision: 'aragora-lifecycles' },
      },
    ],
    auth: {
      means: [{ in: 'bearer-header' }, { in: 'query', name: 'token' }],
      withoutToken: 'either',
      withoutTokenBasis: { decision: 'aragora-auth-without-token' },
      optional: true,
      statusMessage: { message: 'connection_info', authenticatedField: 'data.authenticated', writeField: 'data.write_access' },
      basis: {
        quote: 'If `ARAGORA_API_TOKEN` is set, include an `Authorization: Bearer` header during the handshake:',
        source: 'Authentication',
      },
      writes: ['user_vote', 'user_suggestion', 'wisdom_submission'],
      writesBasis: REPLIES,
      refusals: ['error', 'auth_revoked'],
    },
    robustness: {
      invalidJson: { action: 'any', basis: { decision: 'aragora-bad-input' } },
      unknownMessage: { action: 'any', basis: { decision: 'aragora-bad-input' } },
      oversizedProbeBytes: 2097152,
    },
    triggers: [
      { message: 'get_loops' },
      { message: 'user_vote', needs: 'token' },
      { message: 'user_suggestion', needs: 'token' },
      { message: 'wisdom_submission', needs: 'token' },
    ],
    replies: {
      get_loops: { basis: { quote: 'Request loop list', source: 'Client → Server Messages' } },
      user_vote: { basis: REPLIES },
      user_suggestion: { basis: REPLIES },
      wisdom_submission: { basis: REPLIES },
    },
    broadcast: {
      basis: {
        quote:
          'The server broadcasts all events to all connected clients, so clients should filter by `loop_id` (or `data.debate_id`) when they only care about one debate.',
        source: 'Endpoint',
      },
    },
  },
});

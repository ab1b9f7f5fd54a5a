import { defineProtocol } from './define.js';

const MONITORING = [
  'monitoring:subscribe',
  'monitoring:unsubscribe',
  'monitoring:get-events',
  'monitoring:get-stats',
  'monitoring:broadcast',
];

export default defineProtocol({
  id: 'gemini-chat',
  title: 'Gemini chat server',
  version: '1.0.0',
  description:
    'Socket.IO events of the Gemini chat server: sessions, streamed Gemini responses, tool execution ' +
    'and approval, admin-only monitoring and system broadcasts. Formalised from the Gemini chat ' +
    '"WebSocket Events Reference" document (shared/seeds/004). Decisions: asyncapi/decisions/gemini-chat.md.',
  servers: {
    local: {
      host: 'localhost:3000',
      protocol: 'http',
      description: 'The documented local address of the Socket.IO server (`io("http://localhost:3000")`).',
    },
  },
  channels: {
    root: {
      address: '/',
      description: 'The default Socket.IO namespace; every documented event travels on it.',
    },
  },
  replies: {
    'join-session': ['session-joined', 'error'],
    'chat:message': ['gemini:content', 'gemini:thought', 'gemini:tool-request', 'gemini:done', 'gemini:error', 'error'],
    'chat:cancel': ['gemini:cancelled'],
    'chat:clear': ['chat:cleared', 'error'],
    'chat:get-history': ['chat:history', 'error'],
    'tool:execute': ['tool:execution-start', 'tool:execution-error', 'error'],
    'tool:approve': ['tool:approved', 'error'],
    'tool:reject': ['tool:rejected', 'error'],
    'tool:list': ['tool:list-response', 'error'],
    'monitoring:subscribe': ['monitoring:event', 'error'],
    'monitoring:get-events': ['monitoring:events', 'error'],
    'monitoring:get-stats': ['monitoring:stats', 'error'],
    'monitoring:broadcast': ['system:broadcast', 'error'],
  },
  securitySchemes: {
    handshakeToken: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'A JWT sent as the Socket.IO handshake auth.token (`io(url, {auth: {token}})`).',
    },
    adminToken: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description:
        'A JWT with the admin role, sent as the Socket.IO handshake auth.token; needed for the admin-only monitoring operations.',
    },
  },
  serverSecurity: ['handshakeToken'],
  operationSecurity: Object.fromEntries(MONITORING.map((m) => [m, ['adminToken']])),
  extension: {
    transport: 'socket.io',
    lifecycle: ['connect', 'connect_error', 'disconnect'],
    lifecycles: [
      {
        id: 'tool-execution',
        start: 'tool:execution-start',
        end: ['tool:execution-complete', 'tool:execution-error'],
        key: ['callId'],
        strictStart: true,
      },
    ],
    accumulations: [
      {
        id: 'content',
        message: 'gemini:content',
        chunkField: 'text',
        accumulatedField: 'accumulated',
        final: { message: 'gemini:done', field: 'fullResponse' },
        resetOn: ['gemini:cancelled', 'gemini:error'],
      },
    ],
    auth: {
      means: [{ in: 'socketio-auth', name: 'token' }],
      withoutToken: 'refuse',
      admin: {
        messages: MONITORING,
        privilegedEvents: ['monitoring:event', 'monitoring:events', 'monitoring:stats'],
        refusals: ['error'],
      },
    },
    robustness: {
      invalidJson: { action: 'close' },
      unknownMessage: { action: 'ignore' },
      oversizedProbeBytes: 2097152,
    },
    triggers: [
      { message: 'join-session', needs: 'token' },
      { message: 'chat:get-history', needs: 'token' },
      { message: 'tool:list', needs: 'token' },
      { message: 'chat:message', needs: 'token' },
      { message: 'monitoring:subscribe', needs: 'admin' },
      { message: 'monitoring:get-stats', needs: 'admin' },
      { message: 'monitoring:get-events', needs: 'admin' },
    ],
  },
});

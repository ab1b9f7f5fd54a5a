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
        basis: { decision: 'gemini-chat-tool-lifecycle' },
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
        basis: { quote: 'accumulated: string; // Full response so far', source: '`gemini:content`' },
      },
    ],
    // What the document asks of clients (judge-client). The order comes from the "Basic Chat Flow"
    // example, not from a rule, so it grades SHOULD (decision gemini-chat-client-order); an
    // approval names a request ("Approve a tool execution request"), so its callId is one the
    // server sent in a gemini:tool-request.
    client: {
      order: [
        {
          first: 'join-session',
          then: ['chat:message', 'chat:cancel', 'chat:clear', 'chat:get-history'],
          basis: { quote: "// Join session socket.on('connect', () => { socket.emit('join-session', { sessionId }); });", source: 'Example Usage Patterns: Basic Chat Flow', level: 'SHOULD' },
        },
      ],
      answers: [
        { messages: ['tool:approve'], to: 'gemini:tool-request', field: 'callId', basis: { quote: 'Approve a tool execution request.', source: '`tool:approve`' } },
        { messages: ['tool:reject'], to: 'gemini:tool-request', field: 'callId', basis: { quote: 'Reject a tool execution request.', source: '`tool:reject`' } },
      ],
    },
    // The connection example passes `auth.token`; the document never says what happens without
    // one, so the refusal is a decision (gemini-chat-auth) and grades SHOULD.
    auth: {
      means: [{ in: 'socketio-auth', name: 'token' }],
      withoutToken: 'refuse',
      basis: { decision: 'gemini-chat-auth' },
      admin: {
        messages: MONITORING,
        privilegedEvents: ['monitoring:event', 'monitoring:events', 'monitoring:stats'],
        refusals: ['error'],
        basis: { quote: 'Monitoring Events (Admin Only)', source: 'Monitoring Events (Admin Only)' },
      },
    },
    robustness: {
      invalidJson: { action: 'any', basis: { decision: 'gemini-chat-bad-input' } },
      unknownMessage: { action: 'any', basis: { decision: 'gemini-chat-bad-input' } },
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
    // Each reply quotes the description of the server event that answers (gemini-chat-replies).
    // Optional: `chat:cancel` (nothing may be in flight), `monitoring:subscribe` (events come only
    // with activity), `monitoring:broadcast` (it reaches engineers, not necessarily the sender).
    replies: {
      'join-session': { basis: { quote: 'Confirmation that session was joined successfully.', source: '`session-joined`' } },
      'chat:message': { basis: { quote: 'Streaming text content from Gemini.', source: '`gemini:content`' } },
      'chat:cancel': { optional: true, basis: { quote: 'Message generation was cancelled.', source: '`gemini:cancelled`' } },
      'chat:clear': { basis: { quote: 'Conversation was cleared.', source: '`chat:cleared`' } },
      'chat:get-history': { basis: { quote: 'Conversation history response.', source: '`chat:history`' } },
      'tool:execute': { basis: { quote: 'Tool execution started.', source: '`tool:execution-start`' } },
      'tool:approve': { basis: { quote: 'Tool execution was approved.', source: '`tool:approved`' } },
      'tool:reject': { basis: { quote: 'Tool execution was rejected.', source: '`tool:rejected`' } },
      'tool:list': { basis: { quote: 'Available tools list.', source: '`tool:list-response`' } },
      'monitoring:subscribe': { optional: true, basis: { quote: 'Real-time activity event.', source: '`monitoring:event`' } },
      'monitoring:get-events': { basis: { quote: 'Historical events response.', source: '`monitoring:events`' } },
      'monitoring:get-stats': { basis: { quote: 'Activity statistics response.', source: '`monitoring:stats`' } },
      'monitoring:broadcast': {
        optional: true,
        basis: { quote: 'System broadcast message (received by engineers).', source: '`system:broadcast`' },
      },
    },
    // Session and call ids scope traffic: the example session `session_123_456` and call
    // `call_123_456` would make one connection's chat or tool answer reach another's
    // (gemini-chat-per-connection).
    perConnection: ['sessionId', 'callId'],
  },
});

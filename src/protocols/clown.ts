import { defineProtocol } from './define.js';

export default defineProtocol({
  id: 'clown',
  title: 'Clown daemon event stream',
  version: '1.0.0',
  description:
    'Real-time events of the Clown daemon (profiles, agents, registry, proxies, usage, daemon) for UI ' +
    'clients and CLI watch modes. Formalised from the Clown "WebSocket Events Reference" document ' +
    '(shared/seeds/001). Decisions: asyncapi/decisions/clown.md.',
  servers: {
    local: { host: '127.0.0.1:8765', protocol: 'ws', description: 'The documented local daemon address.' },
  },
  channels: {
    events: { address: '/ws', description: 'The daemon event stream; by default a client receives every event.' },
  },
  // `subscribe` has no documented answer: a filtering server simply sends fewer events.
  replies: {},
  envelope: {
    type: 'ClownEnvelope',
    basis: { quote: 'All events are JSON objects:', source: 'Message Format' },
    timestamps: [
      {
        field: 'timestamp',
        format: 'iso-8601',
        basis: { quote: '"timestamp": "2026-01-08T10:30:00Z",', source: 'Message Format' },
      },
    ],
  },
  extension: {
    transport: 'websocket',
    nameField: { receive: 'type', send: 'action' },
    // The document names the events ("starts running" / "stops running"), not their order: the
    // pairs are a decision (clown-lifecycles), so they grade SHOULD.
    lifecycles: [
      {
        id: 'profile-run',
        start: 'ProfileStarted',
        end: ['ProfileStopped'],
        key: ['data.alias'],
        strictStart: false,
        basis: { decision: 'clown-lifecycles' },
      },
      {
        id: 'proxy-run',
        start: 'ProxyStarted',
        end: ['ProxyStopped'],
        key: ['data.profile'],
        strictStart: false,
        basis: { decision: 'clown-lifecycles' },
      },
      {
        id: 'registry-sync',
        start: 'RegistrySyncStarted',
        end: ['RegistrySyncCompleted', 'RegistrySyncFailed'],
        strictStart: false,
        basis: { decision: 'clown-lifecycles' },
      },
    ],
    keepalive: { answersPingFrames: true },
    robustness: {
      invalidJson: { action: 'any', basis: { decision: 'clown-bad-input' } },
      unknownMessage: { action: 'any', basis: { decision: 'clown-bad-input' } },
      oversizedProbeBytes: 2097152,
    },
    broadcast: { basis: { quote: 'By default, clients receive all events.', source: 'Event Subscriptions' } },
    client: {
      reconnect: {
        backoff: 'exponential',
        resend: ['subscribe'],
        basis: { quote: 'The daemon may restart due to idle timeout or updates. Clients should implement reconnection logic:', source: 'Reconnection', level: 'SHOULD' },
        backoffBasis: { quote: '2. Wait with exponential backoff', source: 'Reconnection', level: 'SHOULD' },
        resendBasis: { quote: '4. Resume event listening', source: 'Reconnection', level: 'SHOULD' },
      },
    },
  },
});

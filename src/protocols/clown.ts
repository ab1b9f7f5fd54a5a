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
    timestamps: [{ field: 'timestamp', format: 'iso-8601' }],
  },
  extension: {
    transport: 'websocket',
    nameField: { receive: 'type', send: 'action' },
    lifecycles: [
      { id: 'profile-run', start: 'ProfileStarted', end: ['ProfileStopped'], key: ['data.alias'], strictStart: false },
      { id: 'proxy-run', start: 'ProxyStarted', end: ['ProxyStopped'], key: ['data.profile'], strictStart: false },
      {
        id: 'registry-sync',
        start: 'RegistrySyncStarted',
        end: ['RegistrySyncCompleted', 'RegistrySyncFailed'],
        strictStart: false,
      },
    ],
    keepalive: { answersPingFrames: true },
    robustness: {
      invalidJson: { action: 'any' },
      unknownMessage: { action: 'any' },
      oversizedProbeBytes: 2097152,
    },
  },
});

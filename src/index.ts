/**
 * wsconform as a library. The CLI is a thin layer over these exports.
 *
 * - Spec: `loadSpec(idOrPath)` and `validatorFor(spec)` (compiled once per spec).
 * - Client: `connect(protocol, url)`, a typed client over ws and socket.io-client.
 * - Types of the built-in protocols: `import type { ServerEvents } from 'wsconform/types/kiwi'`.
 * - Judging a client: `judgeClient(spec, { exec })` resolves with a report like a run's
 *   (`report.checks`, `report.problems`, `report.client`).
 */
export * from './spec/index.js';
export { connect, type ConnectOptions, type ProtocolMaps, type TypedClient } from './client/index.js';
export { judgeClient, type JudgeClientOptions } from './judge/client.js';

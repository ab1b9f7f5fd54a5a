/**
 * The reference server: the known-good implementation of every protocol, driven by its AsyncAPI
 * document (x-wsconform) and a fixture, with switchable faults.
 *
 *   const server = await startReferenceServer({ protocol: 'kiwi', port: 0 });
 *   // server.url === 'ws://127.0.0.1:PORT/api/events'
 *   await server.close();
 */
import { loadSpec } from '../src/spec/load.js';
import { validatorFor } from '../src/spec/validator.js';
import type { ServerContext } from './context.js';
import { resolveFaults } from './faults.js';
import { checkFixture } from './fixture-check.js';
import { parseFixture, readFixture } from './fixture.js';
import { defaultScenario } from './scenario.js';
import { Hub } from './hub.js';
import { resolveOptions, type ReferenceServerOptions } from './options.js';
import { moduleFor } from './protocols/index.js';
import { startSocketIoServer } from './socketio-server.js';
import { startWsServer } from './ws-server.js';

export { ReferenceServerError, type ReferenceServerErrorCode } from './errors.js';
export { FAULTS, applicableFaults, type FaultDef } from './faults.js';
export { DEFAULT_FIXTURES, DEFAULT_TOKENS, documentedPort, type ClientObserver, type ObservedClient, type RefusedAttempt, type ReferenceServerOptions } from './options.js';
export { readFixture, parseFixture, type Fixture } from './fixture.js';
export { checkFixture } from './fixture-check.js';

/** A running reference server. */
export interface RunningServer {
  /** The first channel's URL, e.g. ws://127.0.0.1:PORT/api/events, or http://127.0.0.1:PORT for Socket.IO. */
  url: string;
  /** One URL per documented channel address. */
  urls: string[];
  port: number;
  /** The protocol id. */
  protocol: string;
  /** Closes every connection (WebSocket close 1001) and the listener. */
  close(): Promise<void>;
}

/** Loads a protocol's fixture and checks it (exported for tests and tools). */
export async function loadFixture(protocol: string, file?: string) {
  const spec = await loadSpec(protocol);
  const options = resolveOptions({ protocol, fixture: file }, spec);
  const validator = validatorFor(spec);
  const module = moduleFor(spec.id);
  const fixture = options.fixture ? readFixture(options.fixture, (f) => validator.nameOf(f, 'receive')) : parseFixture(defaultScenario(spec), `${spec.file} (default scenario)`, (f) => validator.nameOf(f, 'receive'));
  checkFixture(fixture, spec, validator, module);
  return { spec, fixture };
}

/** Starts the reference server for a protocol. */
export async function startReferenceServer(options: ReferenceServerOptions): Promise<RunningServer> {
  const spec = await loadSpec(options.protocol);
  const resolved = resolveOptions(options, spec);
  const faults = resolveFaults(resolved.faults, spec);
  const validator = validatorFor(spec);
  const module = moduleFor(spec.id);
  const fixture = resolved.fixture ? readFixture(resolved.fixture, (f) => validator.nameOf(f, 'receive')) : parseFixture(defaultScenario(spec), `${spec.file} (default scenario)`, (f) => validator.nameOf(f, 'receive'));
  checkFixture(fixture, spec, validator, module);
  const ctx: ServerContext = { spec, validator, fixture, options: resolved, faults, module, moduleState: undefined, hub: new Hub() };
  ctx.moduleState = module.createServerState?.(ctx);
  const transport = spec.transport === 'socket.io' ? await startSocketIoServer(ctx) : await startWsServer(ctx);
  let closing: Promise<void> | undefined;
  return {
    url: transport.urls[0],
    urls: transport.urls,
    port: transport.port,
    protocol: spec.id,
    close: () => (closing ??= transport.close()),
  };
}

/** Everything a connection shares with its server: the document, fixture, options and faults. */
import type { Spec } from '../src/spec/model.js';
import type { Validator } from '../src/spec/validator.js';
import type { FaultSet } from './faults.js';
import type { Fixture } from './fixture.js';
import type { Hub } from './hub.js';
import type { ResolvedOptions } from './options.js';
import type { ProtocolModule } from './protocols/types.js';

/** The shared context of one running server. */
export interface ServerContext {
  spec: Spec;
  validator: Validator;
  fixture: Fixture;
  options: ResolvedOptions;
  faults: FaultSet;
  module: ProtocolModule;
  /** The module's per-server state. */
  moduleState: unknown;
  hub: Hub;
}

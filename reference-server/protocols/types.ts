/**
 * What a protocol module adds to the generic, document-driven server: behaviour a document
 * describes and the x-wsconform extension cannot state (subscription filters, vote tallies,
 * sessions, tool calls, admin monitoring). One module per protocol, registered in index.ts.
 */
import type { Connection } from '../connection.js';
import type { FixtureHeader } from '../fixture.js';
import type { ServerContext } from '../context.js';

/** A protocol's own behaviour. Every hook is optional. */
export interface ProtocolModule {
  /** `$hooks` this module runs scripts for, beyond the generic ones. */
  hooks?: string[];
  /** Client messages the module answers itself, so that no script of that name is required. */
  handles?: string[];
  /** Scripts the fixture must have for this module to work. */
  requiredScripts?: string[];
  /** Sample `vars` for rendering a script when the fixture is checked at load. */
  sampleVars?(on: string, header: FixtureHeader): Record<string, unknown> | undefined;
  /** Per-server state, created once when the server starts. */
  createServerState?(ctx: ServerContext): unknown;
  /** A connection opened; runs before anything is sent to it. */
  onOpen?(conn: Connection): void;
  /** A valid client message after the auth checks; returns true when it handled it. */
  onMessage?(conn: Connection, name: string, payload: unknown): boolean;
  /** A frame was rendered for the connection (before faults), e.g. to remember a tool request. */
  onSent?(conn: Connection, name: string | undefined, frame: unknown): void;
  /** Whether a server message of this name may go to the connection (subscription filters). */
  accepts?(conn: Connection, name: string): boolean;
  /** A connection closed. */
  onClose?(conn: Connection): void;
}

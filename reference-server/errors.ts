/**
 * Errors of the reference server, each with a stable code (listed in reference-server/README.md).
 * The CLI maps every one of them to exit code 2.
 */
import { KitError } from '../src/spec/errors.js';

export type ReferenceServerErrorCode =
  /** A fixture file is unreadable, malformed, or holds a frame the protocol's schemas reject. */
  | 'WSC_FIXTURE'
  /** An unknown fault name, or a fault that does not apply to the protocol. */
  | 'WSC_FAULT'
  /** The server could not listen (port in use, address not available). */
  | 'WSC_LISTEN'
  /** An option out of range (negative speed, a protocol without a default fixture, ...). */
  | 'WSC_OPTION';

/** A problem starting the reference server, naming the file and line where one is known. */
export class ReferenceServerError extends KitError<ReferenceServerErrorCode> {}

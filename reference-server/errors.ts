/**
 * Errors of the reference server, each with a stable code (listed in reference-server/README.md).
 * The CLI maps every one of them to exit code 2.
 */
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
export class ReferenceServerError extends Error {
  readonly code: ReferenceServerErrorCode;
  readonly file?: string;
  readonly line?: number;
  constructor(code: ReferenceServerErrorCode, message: string, where?: { file?: string; line?: number }) {
    const at = where?.file ? `${where.file}${where.line ? `:${where.line}` : ''}: ` : '';
    super(`${at}${message}`);
    this.name = 'ReferenceServerError';
    this.code = code;
    this.file = where?.file;
    this.line = where?.line;
  }
}

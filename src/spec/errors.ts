/**
 * Errors of the kit itself, each with a stable code (listed in the README). A `SpecError`
 * is a problem with a protocol document or an input file, never a server's fault; the CLI
 * maps it to exit code 2.
 */
export type SpecErrorCode =
  | 'WSC_SPEC_NOT_FOUND'
  | 'WSC_SPEC_SYNTAX'
  | 'WSC_SPEC_INVALID'
  | 'WSC_SPEC_EXTENSION'
  | 'WSC_SPEC_REF'
  | 'WSC_INPUT';

/** A problem with a document or input file, naming the file and, where known, the line. */
export class SpecError extends Error {
  readonly code: SpecErrorCode;
  readonly file?: string;
  readonly line?: number;
  constructor(code: SpecErrorCode, message: string, where?: { file?: string; line?: number }) {
    const at = where?.file ? `${where.file}${where.line ? `:${where.line}` : ''}: ` : '';
    super(`${at}${message}`);
    this.name = 'SpecError';
    this.code = code;
    this.file = where?.file;
    this.line = where?.line;
  }
}

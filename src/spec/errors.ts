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

/**
 * An error of the kit with a stable code, naming the file and, where known, the line. The CLI
 * prints every one as `wsconform: file:line: message [CODE]` and exits 2.
 */
export class KitError<C extends string = string> extends Error {
  readonly code: C;
  readonly file?: string;
  readonly line?: number;
  constructor(code: C, message: string, where?: { file?: string; line?: number }) {
    const at = where?.file ? `${where.file}${where.line ? `:${where.line}` : ''}: ` : '';
    super(`${at}${message}`);
    this.name = new.target.name;
    this.code = code;
    this.file = where?.file;
    this.line = where?.line;
  }
}

/** A problem with a document or input file. */
export class SpecError extends KitError<SpecErrorCode> {}

/** `wsconform validate <protocol> <transcript|->`: offline validation of a JSON-lines transcript. */
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { SpecError } from '../spec/errors.js';
import { loadSpec } from '../spec/load.js';
import type { Direction } from '../spec/model.js';
import { validatorFor, type ValidationIssue } from '../spec/validator.js';
import type { CommandImpl } from './commands.js';

/** The result of validating one line. */
export interface LineResult {
  line: number;
  valid: boolean;
  name?: string;
  direction?: Direction;
  issues: ValidationIssue[];
}

const impl: CommandImpl = async ({ args, opts, io }) => {
  const [ref, transcript] = args as [string, string];
  const spec = await loadSpec(ref);
  const validator = validatorFor(spec);
  const fixed = opts.direction === 'auto' ? undefined : (opts.direction as Direction);

  if (transcript !== '-' && isFolder(transcript)) throw new SpecError('WSC_INPUT', 'is a folder, not a transcript; give a .jsonl file or - for standard input', { file: transcript });
  const input = transcript === '-' ? process.stdin : createReadStream(transcript);
  const opened = new Promise<void>((resolve, reject) => {
    if (transcript === '-') return resolve();
    input.once('open', () => resolve());
    input.once('error', (err: NodeJS.ErrnoException) => reject(new SpecError('WSC_INPUT', `cannot read the transcript (${err.code ?? err.message})`, { file: transcript })));
  });
  await opened;
  const rl = createInterface({ input, crlfDelay: Infinity });

  const invalid: LineResult[] = [];
  let lines = 0;
  let lineNo = 0;
  for await (const raw of rl) {
    lineNo++;
    if (raw.trim() === '') continue;
    lines++;
    let result;
    let direction: Direction = fixed ?? 'receive';
    if (fixed) {
      result = validator.validateText(raw, fixed);
    } else {
      result = validator.validateText(raw, 'receive');
      if (result.issues[0]?.code === 'unknown-message' || result.issues[0]?.code === 'missing-name') {
        const asSend = validator.validate(result.value, 'send');
        if (asSend.message) {
          result = asSend;
          direction = 'send';
        }
      }
    }
    if (!result.valid) {
      const entry: LineResult = { line: lineNo, valid: false, name: result.name, direction, issues: result.issues };
      invalid.push(entry);
      if (!opts.json) {
        const label = result.name ?? '(no name)';
        for (const issue of result.issues) {
          io.out.write(`${transcript}:${lineNo}: ${label}: ${issue.message} (expected ${issue.expected}, got ${issue.actual}) [${issue.code}]\n`);
        }
      }
    }
  }
  const summary = { spec: spec.id, file: transcript, lines, valid: lines - invalid.length, invalid: invalid.length };
  if (opts.json) {
    io.out.write(JSON.stringify({ ...summary, results: invalid }, null, 2) + '\n');
  } else {
    io.out.write(`${lines} message${lines === 1 ? '' : 's'}: ${summary.valid} valid, ${summary.invalid} invalid (${spec.title})\n`);
  }
  return invalid.length ? 1 : 0;
};

export default impl;

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // a missing file is reported by the read, with its code
  }
}

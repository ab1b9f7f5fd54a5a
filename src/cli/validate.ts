/** `wsconform validate <protocol> <transcript|->`: offline validation of a JSON-lines transcript. */
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { SpecError } from '../spec/errors.js';
import { loadSpec } from '../spec/load.js';
import type { Direction } from '../spec/model.js';
import { preview, validatorFor, type ValidationIssue } from '../spec/validator.js';
import { ObservedReader } from '../suggest/input.js';
import type { CommandImpl } from './commands.js';

/** The result of validating one line. */
export interface LineResult {
  line: number;
  valid: boolean;
  name?: string;
  direction?: Direction;
  issues: ValidationIssue[];
  /** For an event of a batch (x-wsconform.batching): its index in the array. */
  batchIndex?: number;
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
  const report = (entry: LineResult): void => {
    invalid.push(entry);
    if (opts.json) return;
    const label = `${entry.name ?? '(no name)'}${entry.batchIndex !== undefined ? ` (event ${entry.batchIndex} of the batch)` : ''}`;
    for (const issue of entry.issues) io.out.write(`${transcript}:${entry.line}: ${label}: ${issue.message} (expected ${issue.expected}, got ${issue.actual}) [${issue.code}]\n`);
  };
  // A transcript (one message per line) or a recording (wsconform record's fixture): see src/suggest/input.ts.
  const reader = new ObservedReader();
  let lines = 0;
  let lineNo = 0;
  for await (const raw of rl) {
    lineNo++;
    const before = reader.skipped.notJson.length + reader.skipped.unjudgeable.length;
    const observed = reader.read(raw, lineNo);
    if (!observed) {
      // A line that is not JSON, or a recorded frame that was not: a message that cannot conform.
      const broken = reader.skipped.notJson.length + reader.skipped.unjudgeable.length > before;
      if (broken) {
        lines++;
        const text = raw.trim();
        const actual = reader.kind === 'recording' && text.startsWith('//') ? text.replace(/^\/\/ /, '') : `${preview(text, 60)} (${reader.skipped.notJson.at(-1)?.error})`;
        report({ line: lineNo, valid: false, issues: [{ code: 'not-json', path: '$', message: 'the frame must be JSON', expected: 'JSON text', actual }] });
      }
      continue;
    }
    lines++;
    const value = observed.value;
    const stated = fixed ?? observed.direction;
    // A document whose server batches events (x-wsconform.batching): each event of an array is a message.
    const isBatch = !!spec.ext.batching && stated !== 'send' && Array.isArray(value) && value.length > 0 && value.every((e) => e !== null && typeof e === 'object' && !Array.isArray(e));
    for (const [i, item] of (isBatch ? (value as unknown[]) : [value]).entries()) {
      let direction: Direction = stated ?? 'receive';
      let result = validator.validate(item, direction);
      if (!stated && (result.issues[0]?.code === 'unknown-message' || result.issues[0]?.code === 'missing-name')) {
        const asSend = validator.validate(item, 'send');
        if (asSend.message) {
          result = asSend;
          direction = 'send';
        }
      }
      if (!result.valid) report({ line: lineNo, valid: false, name: result.name, direction, issues: result.issues, ...(isBatch ? { batchIndex: i } : {}) });
    }
  }
  const invalidLines = new Set(invalid.map((r) => r.line)).size;
  const summary = { spec: spec.id, file: transcript, lines, valid: lines - invalidLines, invalid: invalidLines, notJudged: reader.skipped.notRecorded.length };
  if (opts.json) {
    io.out.write(JSON.stringify({ ...summary, results: invalid }, null, 2) + '\n');
  } else {
    const notRecorded = reader.skipped.notRecorded.length;
    const note = notRecorded ? `; ${notRecorded} line${notRecorded === 1 ? '' : 's'} not judged: fixture templates or scripts borrowed from the default fixture, not recorded frames` : '';
    io.out.write(`${lines} message${lines === 1 ? '' : 's'}: ${summary.valid} valid, ${summary.invalid} invalid (${spec.title})${note}\n`);
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

/** `wsconform suggest <protocol|doc> --from <recording|transcript>` (or `--url`): the patch a recording calls for. */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { defaultFixtureOf, record, RecordConnectError } from '../record/recorder.js';
import { SpecError } from '../spec/errors.js';
import { loadSpec } from '../spec/load.js';
import { isBuiltin } from '../spec/paths.js';
import { readObserved } from '../suggest/input.js';
import { suggest, type SuggestReport } from '../suggest/suggest.js';
import { pointer } from '../suggest/workspace.js';
import type { CommandImpl } from './commands.js';
import { UsageError } from './main.js';
import { readSendFile } from './record.js';
import { msOption } from './run.js';

const impl: CommandImpl = async ({ args, opts, io }) => {
  const ref = args[0]!;
  if (!opts.from === !opts.url) throw new UsageError('suggest needs --from <recording|transcript> or --url <server> (one of them)');
  if (opts.write && isBuiltin(ref)) throw new UsageError(`--write edits the document in place; "${ref}" is a built-in document: give the path of your copy`);
  const spec = await loadSpec(ref);
  let text: string;
  let source: string;
  if (opts.from) {
    source = String(opts.from);
    try {
      text = source === '-' ? readFileSync(0, 'utf8') : readFileSync(source, 'utf8');
    } catch (err) {
      throw new SpecError('WSC_INPUT', `cannot read the recording (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { file: source });
    }
  } else {
    const duration = msOption(opts.duration, '--duration')!;
    source = String(opts.url);
    io.err.write(`suggest: recording ${source} for ${duration} ms\n`);
    try {
      const recording = await record({ spec, url: source, durationMs: duration, token: opts.token as string | undefined, send: opts.send ? readSendFile(String(opts.send)) : [], defaultFixture: defaultFixtureOf(spec) });
      text = recording.text;
    } catch (err) {
      if (err instanceof RecordConnectError) {
        io.err.write(`wsconform: ${err.message}\n`);
        return 2;
      }
      throw err;
    }
  }
  const input = readObserved(text);
  if (!input.messages.length) {
    // Nothing observed is no verdict: never "nothing to change".
    io.err.write(`wsconform: ${source} holds no message to judge${input.skipped.notJson.length ? ` (${input.skipped.notJson.length} lines are not JSON)` : ''}\n`);
    return 2;
  }
  const report = await suggest(spec, input);
  if (opts.json) io.out.write(`${JSON.stringify(jsonReport(report), null, 2)}\n`);
  else io.out.write(pretty(report, source));
  if (opts.write && report.files.length) {
    for (const f of report.files) writeFileSync(f.file, f.after);
    io.err.write(`suggest: wrote ${report.files.map((f) => relative(process.cwd(), f.file)).join(', ')}\n`);
  }
  return report.suggestions.length || report.nonconformingAfter ? 1 : 0;
};
export default impl;

const rel = (file: string) => relative(process.cwd(), file) || file;

/** The unified diff of every file the changes touch. */
export function unifiedDiff(report: SuggestReport): string {
  return report.files.map((f) => createTwoFilesPatch(`a/${rel(f.file)}`, `b/${rel(f.file)}`, f.before, f.after, undefined, undefined, { context: 3 }).replace(/^=+\n/, '')).join('');
}

function jsonReport(r: SuggestReport) {
  return {
    document: r.document,
    input: r.kind,
    messages: r.messages,
    nonconformingBefore: r.nonconformingBefore,
    nonconformingAfter: r.nonconformingAfter,
    suggestions: r.suggestions.map((s) => ({ ...s, edits: undefined, patch: s.edits.map((e) => ({ file: e.file, op: e.op, path: pointer(e.path), ...(e.from ? { from: pointer(e.from) } : {}), ...(e.op === 'remove' || e.op === 'move' ? {} : { value: e.value }) })) })),
    // JSON Patch (RFC 6902) per file: every suggestion's operations, in order.
    patch: [...new Set(r.suggestions.flatMap((s) => s.edits.map((e) => e.file)))].map((file) => ({
      file,
      operations: r.suggestions.flatMap((s) => s.edits.filter((e) => e.file === file)).map((e) => ({ op: e.op, path: pointer(e.path), ...(e.from ? { from: pointer(e.from) } : {}), ...(e.op === 'remove' || e.op === 'move' ? {} : { value: e.value }) })),
    })),
    notes: r.notes,
    diff: unifiedDiff(r),
  };
}

function pretty(r: SuggestReport, source: string): string {
  const lines = [`wsconform suggest: ${rel(r.document)} from ${source} (${r.kind}): ${r.messages} message${r.messages === 1 ? '' : 's'}, ${r.nonconformingBefore} not conforming`, ''];
  if (!r.suggestions.length) lines.push(r.nonconformingBefore ? '  no change proposed' : '  every message conforms: nothing to change');
  for (const [n, s] of r.suggestions.entries()) {
    lines.push(`  ${n + 1}. [${s.kind}] ${s.summary}`);
    const first = s.evidence.first.map((f) => `line ${f.line}${f.batchIndex !== undefined ? ` (event ${f.batchIndex})` : ''}: ${f.value}`);
    lines.push(`     ${s.evidence.count} of ${s.evidence.of}; first ${first.join('; ')}`);
  }
  if (r.notes.length) lines.push('', 'notes:', ...r.notes.map((n) => `  - ${n}`));
  lines.push('', `after the changes: ${r.nonconformingAfter} of ${r.messages} not conforming`);
  const diff = unifiedDiff(r);
  if (diff) lines.push('', diff.trimEnd());
  return `${lines.join('\n')}\n`;
}

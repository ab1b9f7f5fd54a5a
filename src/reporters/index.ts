/** The built-in reporters, in one map, and `NAME[:FILE]` parsing. */
import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { html } from './html.js';
import { json } from './json.js';
import { junit } from './junit.js';
import { pretty } from './pretty.js';
import type { Reporter, ReporterFactory, ReporterOutput } from './types.js';

export type * from './types.js';
export { HTML_CONTEXT_FRAMES, htmlEscape, htmlReport } from './html.js';
export { junitXml, xmlEscape } from './junit.js';
export { baselineLines, failureLines, summaryLine } from './pretty.js';

/** Every built-in reporter by name. */
export const REPORTERS: Record<string, ReporterFactory> = { pretty, json, junit, html };

/** A reporter request: its name and, when given, the file it writes to. */
export interface ReporterSpec {
  name: string;
  file?: string;
}

/** Parses `NAME` or `NAME:FILE`; an unknown name is an error naming the built-ins. */
export function parseReporter(text: string): ReporterSpec {
  const i = text.indexOf(':');
  const name = i < 0 ? text : text.slice(0, i);
  const file = i < 0 ? undefined : text.slice(i + 1);
  if (!REPORTERS[name]) throw new Error(`unknown reporter "${name}" (built in: ${Object.keys(REPORTERS).join(', ')})`);
  if (file === '') throw new Error(`reporter "${text}": give a file after the colon, or leave the colon out`);
  return { name, file };
}

/**
 * Reporters writing to their files or to `stdout`; `close()` ends the files. A file that cannot
 * be created throws at once (before the run starts).
 */
export function createReporters(specs: ReporterSpec[], stdout: ReporterOutput): { reporters: Reporter[]; close(): Promise<void> } {
  const files: WriteStream[] = [];
  const reporters = specs.map((s) => {
    if (!s.file) return REPORTERS[s.name](stdout);
    const stream = createWriteStream('', { fd: openSync(s.file, 'w') });
    stream.on('error', () => undefined);
    files.push(stream);
    return REPORTERS[s.name]({ write: (t) => void stream.write(t), isTTY: false });
  });
  return {
    reporters,
    close: () =>
      Promise.all(
        files.map(
          (f) =>
            new Promise<void>((resolve, reject) => {
              f.once('error', reject);
              f.end(() => resolve());
            }),
        ),
      ).then(() => undefined),
  };
}

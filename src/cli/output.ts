/**
 * Output paths checked before any work: a folder that cannot be created or written, or a file
 * whose folder is missing, is one clear line naming the path and what to do (exit 2), never a
 * stack trace or a tool looping on mkdir.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './main.js';

const WHY: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EROFS: 'the file system is read-only',
  ENOENT: 'a part of the path does not exist',
  EEXIST: 'it exists and is not a folder',
};

function why(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return WHY[code] ?? (code || (err as Error).message);
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir can spin forever on some paths (under
 * /proc it keeps retrying), so each missing folder is made on its own and the first error stops.
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  while (!existsSync(at)) {
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const d of missing) mkdirSync(d);
}

/** Creates the output folder `dir` (and its parents) and checks it can be written. */
export function outputDir(dir: string, flag: string): void {
  try {
    makeDirs(dir);
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'EEXIST' });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new UsageError(`${flag} ${dir}: cannot write there (${why(err)}); choose a folder you can write`);
  }
}

/** Checks the output file `file` can be written: its folder exists and is writable, and it is no folder. */
export function outputFile(file: string, flag: string): void {
  let isDir = false;
  try {
    isDir = statSync(file).isDirectory();
  } catch {
    // A file that does not exist yet is fine; its folder is checked below.
  }
  if (isDir) throw new UsageError(`${flag} ${file}: is a folder; give the path of a file`);
  try {
    if (!statSync(dirname(file)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    accessSync(dirname(file), constants.W_OK);
  } catch (err) {
    throw new UsageError(`${flag} ${file}: cannot write there (${why(err)}); choose a path in a folder you can write`);
  }
}

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package's root folder (holding `asyncapi/`, `schemas/`, `fixtures/`), from src/ or dist/. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'wsconform') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('wsconform: cannot find the package root above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** The built-in protocol ids, in the order the main job runs them. */
export const BUILTIN_PROTOCOLS = ['kiwi', 'clown', 'coda', 'aragora', 'aragora-control-plane', 'gemini-chat'] as const;

/** A built-in protocol id. */
export type BuiltinProtocol = (typeof BUILTIN_PROTOCOLS)[number];

/** Whether `ref` names a built-in protocol. */
export function isBuiltin(ref: string): ref is BuiltinProtocol {
  return (BUILTIN_PROTOCOLS as readonly string[]).includes(ref);
}

/** The AsyncAPI file for a protocol id or a path. */
export function specFile(ref: string): string {
  return isBuiltin(ref) ? join(packageRoot(), 'asyncapi', `${ref}.yaml`) : resolve(ref);
}

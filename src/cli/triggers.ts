/** `--trigger NAME[=JSON]` and `--triggers FILE`: the observation's triggers, set by the user (a real session id). */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Trigger } from '../spec/extension.js';
import type { Spec } from '../spec/model.js';
import { UsageError } from './main.js';

/** The triggers the options give, or undefined to keep the document's. */
export function readTriggers(flags: string[] | undefined, file: string | undefined): Trigger[] | undefined {
  if (flags?.length && file) throw new UsageError('give --trigger or --triggers, not both');
  if (file) {
    let data: unknown;
    try {
      data = parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new UsageError(`--triggers ${file}: ${(err as Error).message.split('\n')[0]}`);
    }
    if (!Array.isArray(data)) throw new UsageError(`--triggers ${file}: expected a list of {message, payload?, needs?}`);
    return data.map((t, i) => {
      if (!t || typeof t !== 'object' || typeof (t as Trigger).message !== 'string') throw new UsageError(`--triggers ${file}: entry ${i + 1} has no "message" (a client message name)`);
      const needs = (t as Trigger).needs;
      if (needs !== undefined && needs !== 'token' && needs !== 'admin') throw new UsageError(`--triggers ${file}: entry ${i + 1}: needs must be "token" or "admin"`);
      return t as Trigger;
    });
  }
  if (!flags?.length) return undefined;
  return flags.map((flag) => {
    const eq = flag.indexOf('=');
    if (eq < 0) return { message: flag };
    const message = flag.slice(0, eq);
    try {
      return { message, payload: JSON.parse(flag.slice(eq + 1)) };
    } catch (err) {
      throw new UsageError(`--trigger ${message}: the payload is not JSON (${(err as Error).message})`);
    }
  });
}

/** The spec with these triggers (each a documented client message), or the spec itself. */
export function withTriggers(spec: Spec, triggers: Trigger[] | undefined): Spec {
  if (!triggers) return spec;
  for (const t of triggers) {
    if (!spec.message('send', t.message)) {
      const known = spec.messages.filter((m) => m.direction === 'send').map((m) => m.name);
      throw new UsageError(`trigger "${t.message}" is not a client message of ${spec.id} (${known.join(', ') || 'it has none'})`);
    }
  }
  return { ...spec, ext: { ...spec.ext, triggers } };
}

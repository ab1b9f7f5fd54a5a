/** Selection of checks: `--only CATEGORY|ID,…` and `--skip CATEGORY|ID,…`. */
import type { CheckDef } from './types.js';

/** A selection names no check or category of the registry. */
export class SelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectionError';
  }
}

/** Splits repeated, comma-separated option values into names. */
export function splitList(values: string | string[] | undefined): string[] {
  const list = values === undefined ? [] : Array.isArray(values) ? values : [values];
  return list.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

function matches(check: CheckDef, name: string): boolean {
  return check.id === name || check.category === name;
}

/** The checks selected by `only` (default: all) minus `skip`; an unknown name is an error. */
export function selectChecks(checks: readonly CheckDef[], only: string[] = [], skipped: string[] = []): CheckDef[] {
  for (const name of [...only, ...skipped]) {
    if (!checks.some((c) => matches(c, name))) {
      const categories = [...new Set(checks.map((c) => c.category))].join(', ');
      throw new SelectionError(`"${name}" is neither a check id nor a category (categories: ${categories}; \`wsconform list\` shows the ids)`);
    }
  }
  return checks.filter((c) => (only.length === 0 || only.some((n) => matches(c, n))) && !skipped.some((n) => matches(c, n)));
}

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateAll } from '../../scripts/generate-lib.js';
import { ROOT } from '../helpers.js';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('the generated files', () => {
  it('match what npm run generate produces from the TypeScript types (no drift)', async () => {
    const files = await generateAll(ROOT);
    const drifted = [...files].filter(([rel, content]) => {
      try {
        return readFileSync(join(ROOT, rel), 'utf8') !== content;
      } catch {
        return true;
      }
    }).map(([rel]) => rel);
    expect(drifted, 'run `npm run generate` and commit the result').toEqual([]);
    const stale = [...walk(join(ROOT, 'schemas')), ...walk(join(ROOT, 'asyncapi')).filter((f) => f.endsWith('.yaml'))]
      .map((f) => relative(ROOT, f))
      .filter((rel) => !files.has(rel));
    expect(stale, 'files no longer generated').toEqual([]);
  }, 120_000);
});

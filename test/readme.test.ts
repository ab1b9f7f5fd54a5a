import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../conformance/index.js';
import { FAULTS } from '../reference-server/index.js';
import { COMMANDS } from '../src/cli/commands.js';
import { ROOT } from './helpers.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

describe('the README', () => {
  it('has a Quick start of exactly two commands, the main job and the tests, both npm scripts', () => {
    const section = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('\n## ', readme.indexOf('## Quick start') + 1));
    const block = section.match(/```sh\n([\s\S]*?)```/)![1];
    const commands = block.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
    expect(commands).toEqual(['npm start', 'npm test']);
    expect(pkg.scripts.start).toBe('node bin/wsconform.js demo');
    expect(pkg.scripts.test).toBe('node scripts/test.mjs');
    // Both vitest passes run whatever the first one says: no && that hides the fault matrix.
    const script = readFileSync(join(ROOT, 'scripts/test.mjs'), 'utf8');
    expect(script).toContain("['run', '--exclude', MATRIX, '--exclude', LOAD");
    expect(pkg.scripts.test).not.toContain('&&');
  });

  it('documents every check, every fault and every command', () => {
    for (const c of CHECKS) expect(readme, c.id).toContain(`\`${c.id}\``);
    for (const f of FAULTS) expect(readme, f.name).toContain(`\`${f.name}\``);
    for (const c of COMMANDS) expect(readme, c.name).toContain(`wsconform ${c.name}`);
  });

  it('has no placeholder left', () => {
    expect(readme.match(/^[A-Z_]+_SECTION$/gm) ?? []).toEqual([]);
  });

  it('lists every error code the kit can raise', () => {
    const sources = ['src/spec/errors.ts', 'reference-server/errors.ts'].map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n');
    const codes = [...new Set(sources.match(/'WSC_[A-Z_]+'/g)!.map((c) => c.slice(1, -1)))];
    expect(codes.length).toBeGreaterThan(5);
    for (const code of codes) expect(readme, code).toContain(`\`${code}\``);
  });
});

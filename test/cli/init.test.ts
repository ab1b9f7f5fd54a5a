import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../conformance/index.js';
import { startReferenceServer } from '../../reference-server/index.js';
import { runSuite } from '../../src/runner/index.js';
import { loadSpec } from '../../src/spec/load.js';
import { runCli } from '../helpers.js';

describe('wsconform init', () => {
  it('writes a built-in document self-contained: it loads from anywhere and gives the same verdicts', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'wsconform-init-')), 'my-kiwi.asyncapi.yaml');
    const r = await runCli(['init', 'kiwi', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`init: kiwi → ${out} (16 messages, 17 schema files inlined)\n`);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toMatch(/\$ref: \.\.?\//);
    const copy = await loadSpec(out, { parse: true, diagnostics: 'schema' });
    const builtin = await loadSpec('kiwi');
    expect(copy.messages.map((m) => m.name)).toEqual(builtin.messages.map((m) => m.name));
    const server = await startReferenceServer({ protocol: 'kiwi', port: 0, instant: true, faults: ['timestamp-iso'] });
    try {
      const options = { url: server.url, timeoutMs: 1000, observeMs: 500 };
      const [a, b] = [await runSuite(builtin, CHECKS, options), await runSuite(copy, CHECKS, options)];
      const verdicts = (x: typeof a) => x.checks.map((c) => [c.id, c.verdict, c.findings.map((f) => f.message)]);
      expect(verdicts(b)).toEqual(verdicts(a));
      expect(b.summary.failed).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  }, 30_000);

  it('answers --help with exit codes, and refuses an unwritable --out with exit 2', async () => {
    expect((await runCli(['init', '--help'])).stdout).toContain('Exit codes: 0 written');
    const r = await runCli(['init', 'kiwi', '--out', '/proc/forbidden/x.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^wsconform: .*--out/);
  });
});

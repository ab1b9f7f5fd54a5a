import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/spec/load.js';
import { runCli } from '../helpers.js';

describe('wsconform docs', () => {
  it('generates Markdown for a protocol in which every message appears', async () => {
    const out = mkdtempSync(join(tmpdir(), 'wsconform-docs-'));
    const r = await runCli(['docs', 'kiwi', '--format', 'markdown', '--out', out], { timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const md = readFileSync(join(out, 'index.md'), 'utf8');
    const spec = await loadSpec('kiwi');
    const missing = spec.messages.map((m) => m.name).filter((name) => !md.includes(name));
    expect(missing).toEqual([]);
  }, 60_000);

  it('generates one self-contained HTML file that loads no script or stylesheet from the network', async () => {
    const out = mkdtempSync(join(tmpdir(), 'wsconform-docs-'));
    const r = await runCli(['docs', 'kiwi', '--out', out], { timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    for (const name of ['WAKE_WORD_DETECTED', 'SOUL_CHANGED', 'pong']) expect(html).toContain(name);
    expect(html.match(/<(script|link)[^>]+(src|href)="https?:/g) ?? []).toEqual([]);
  }, 120_000);

  it('rejects an unknown format with exit 2', async () => {
    const r = await runCli(['docs', 'kiwi', '--format', 'pdf']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("argument 'pdf' is invalid. Allowed choices are html, markdown, both.");
  });
});

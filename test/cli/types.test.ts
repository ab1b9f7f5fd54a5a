import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers.js';

function typeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, { strict: true, noEmit: true, types: [], skipLibCheck: true });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('wsconform types', () => {
  it("writes types for a user's own document that compile, with name → payload maps", async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'wsconform-types-')), 'ticker.ts');
    const r = await runCli(['types', join(ROOT, 'examples', 'ticker.asyncapi.yaml'), '--out', out]);
    expect(r.stdout).toBe(`types: 3 messages of Ticker → ${out}\n`);
    expect(r.code).toBe(0);
    const source = readFileSync(out, 'utf8');
    expect(source).toContain('export interface ServerEvents {\n  "tick": Tick;\n  "pong": Pong;\n}');
    expect(source).toContain('export interface ClientMessages {\n  "ping": Ping;\n}');
    expect(source).toContain('kind: "tick";');
    expect(typeErrors([out])).toEqual([]);
  });

  it('writes compiling types for every built-in protocol, shared definitions declared once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsconform-types-'));
    const files: string[] = [];
    for (const id of ['kiwi', 'clown', 'coda', 'aragora', 'aragora-control-plane', 'gemini-chat']) {
      const out = join(dir, `${id}.ts`);
      const r = await runCli(['types', id, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      files.push(out);
    }
    for (const f of files) expect(typeErrors([f]), f).toEqual([]);
  }, 60_000);
});

describe('wsconform types, names', () => {
  it('never shadows a global: a component named error becomes ErrorMessage', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'wsconform-types-')), 'graphql.ts');
    const r = await runCli(['types', join(ROOT, 'examples', 'graphql-transport-ws.asyncapi.yaml'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const source = readFileSync(out, 'utf8');
    expect(source).toContain('export interface ErrorMessage {');
    expect(source).not.toMatch(/export (interface|type) Error\b/);
    expect(source).toContain('"error": ErrorMessage;');
    expect(typeErrors([out])).toEqual([]);
  }, 30_000);
});

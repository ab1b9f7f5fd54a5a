import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers.js';

function transcript(lines: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'wsconform-validate-')), 't.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const GOOD = '{"event":"LLM_TOKEN","data":{"token":"Hel"},"timestamp":1709000000.5,"source":"llm"}';

describe('wsconform validate', () => {
  it('exits 0 and prints a summary when every line is valid, client and server messages alike', async () => {
    const file = transcript([GOOD, '{"type":"ping"}', '', '{"event":"pong"}']);
    const r = await runCli(['validate', 'kiwi', file]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('3 messages: 3 valid, 0 invalid (Kiwi voice assistant event stream)\n');
    expect(r.code).toBe(0);
  });

  it('exits 1 and names line, message and error for each invalid line; a non-JSON line is an invalid line', async () => {
    const file = transcript([GOOD, '{"event":"LLM_TOKEN","data":{"token":7},"timestamp":1709000000.5,"source":"llm"}', 'not json', '[{"event":"TTS_FINISHED"}]', '{"event":"MYSTERY","data":{}}']);
    const r = await runCli(['validate', 'kiwi', file]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      `${file}:2: LLM_TOKEN: $.data.token must be string (expected string, got integer 7) [schema]`,
      `${file}:3: (no name): the frame must be JSON (expected JSON text, got "not json" (Unexpected token 'o', "not json" is not valid JSON)) [not-json]`,
      `${file}:4: (no name): $ must be a JSON object (expected a JSON object, got array [{"event":"TTS_FINISHED"}]) [not-object]`,
      `${file}:5: MYSTERY: "MYSTERY" is not a documented server message (expected a documented message name, got "MYSTERY") [unknown-message]`,
      // An undocumented event still carries the envelope every event shares.
      `${file}:5: MYSTERY: $.source is required (expected present, got missing) [envelope]`,
      `${file}:5: MYSTERY: $.timestamp is required (expected present, got missing) [envelope]`,
      '5 messages: 1 valid, 4 invalid (Kiwi voice assistant event stream)',
      '',
    ]);
  });

  it('prints the result as JSON with --json, reading standard input for -', async () => {
    const r = await runCli(['validate', 'kiwi', '-', '--json'], { input: `${GOOD}\n{"event":"ERROR","data":{"message":"x"},"timestamp":1,"source":"tts"}\n` });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ spec: 'kiwi', file: '-', lines: 2, valid: 1, invalid: 1 });
    expect(out.results).toEqual([
      {
        line: 2,
        valid: false,
        name: 'ERROR',
        direction: 'receive',
        issues: [{ code: 'schema', path: '$.data.source', message: '$.data.source is required', expected: 'present', actual: 'missing', keyword: 'required', schemaPath: '#/properties/data/required' }],
      },
    ]);
  });

  it('validates Socket.IO lines as EVENT packet arrays', async () => {
    const r = await runCli(['validate', 'gemini-chat', '-'], { input: '["join-session",{"sessionId":"s1"}]\n["gemini:content",{"text":"Hi","accumulated":"Hi"}]\n["join-session",{"sessionId":5}]\n{"event":"x"}\n' });
    expect(r.stdout).toContain('-:3: join-session: $[1].sessionId must be string (expected string, got integer 5) [schema]');
    expect(r.stdout).toContain('-:4: (no name): $ must be a Socket.IO event: a JSON array [eventName, ...args]');
    expect(r.stdout).toContain('4 messages: 2 valid, 2 invalid');
    expect(r.code).toBe(1);
  });

  it('exits 2 with a clear message for an unknown protocol, a missing transcript, or missing arguments', async () => {
    const unknown = await runCli(['validate', 'nope', '-']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('[WSC_SPEC_NOT_FOUND]');
    const missing = await runCli(['validate', 'kiwi', '/no/such/file.jsonl']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('wsconform: /no/such/file.jsonl: cannot read the transcript (ENOENT) [WSC_INPUT]\n');
    const usage = await runCli(['validate', 'kiwi']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("missing required argument 'transcript'");
  });

  it('answers --help with the line format and exit codes', async () => {
    const r = await runCli(['validate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('["join-session", {"sessionId": "s1"}]');
    expect(r.stdout).toContain('Exit codes: 0 every line valid; 1 some line invalid; 2 usage or document error.');
  });
});

describe('bad paths are one clear line, exit 2', () => {
  it('refuses a folder given as the transcript, naming it', async () => {
    const r = await runCli(['validate', 'kiwi', tmpdir()]);
    expect([r.code, r.stderr]).toEqual([2, `wsconform: ${tmpdir()}: is a folder, not a transcript; give a .jsonl file or - for standard input [WSC_INPUT]\n`]);
  });

  it('refuses an output folder that cannot be written, under a file or without permission, before any work', async () => {
    const file = transcript(['{}']);
    const under = await runCli(['types', 'kiwi', '--out', join(file, 'types.ts')]);
    expect([under.code, under.stderr]).toEqual([2, `wsconform: --out ${file}: cannot write there (it exists and is not a folder); choose a folder you can write\n(run with --help for usage)\n`]);
    const proc = await runCli(['docs', 'kiwi', '--out', '/proc/forbidden'], { timeoutMs: 10_000 });
    expect(proc.code).toBe(2);
    expect(proc.stderr).toMatch(/^wsconform: --out \/proc\/forbidden: cannot write there \(.+\); choose a folder you can write\n/);
    const folder = await runCli(['types', 'kiwi', '--out', tmpdir()]);
    expect([folder.code, folder.stderr]).toEqual([2, `wsconform: --out ${tmpdir()}: is a folder; give the path of a file\n(run with --help for usage)\n`]);
  });
});

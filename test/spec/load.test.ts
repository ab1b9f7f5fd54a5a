import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/spec/errors.js';
import { loadSpec } from '../../src/spec/load.js';
import { validatorFor } from '../../src/spec/validator.js';
import { ROOT } from '../helpers.js';

const TICKER = join(ROOT, 'examples', 'ticker.asyncapi.yaml');

function variant(edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'wsconform-load-'));
  const file = join(dir, 'ticker.yaml');
  writeFileSync(file, edit(readFileSync(TICKER, 'utf8')));
  return file;
}

async function loadError(file: string, diagnostics?: 'parser' | 'schema'): Promise<SpecError> {
  try {
    await loadSpec(file, { diagnostics });
  } catch (err) {
    return err as SpecError;
  }
  throw new Error('expected loadSpec to fail');
}

describe('loadSpec', () => {
  it('refuses an AsyncAPI 2.x document naming its version and the conversion, before any parser diagnostic', async () => {
    const file = variant((t) => t.replace(/^asyncapi: 3\.0\.0$/m, 'asyncapi: 2.6.0'));
    const err = await loadError(file);
    expect([err.code, err.message]).toEqual(['WSC_SPEC_INVALID', `${file}:4: wsconform reads AsyncAPI 3.0 documents; this one is 2.6.0 (convert it with \`npx @asyncapi/cli convert\`, then add the x-wsconform extension)`]);
  });

  it('loads a hand-written AsyncAPI document by path, with inline schemas and internal refs', async () => {
    const spec = await loadSpec(TICKER);
    expect(spec.id).toBe('ticker.asyncapi');
    expect(spec.transport).toBe('websocket');
    expect(spec.servers).toEqual([{ id: 'local', host: 'localhost:9100', protocol: 'ws', pathname: '', url: 'ws://localhost:9100' }]);
    expect(spec.channels).toEqual([{ id: 'ticks', address: '/ticks' }]);
    expect(spec.messages.map((m) => `${m.direction}:${m.name}`).sort()).toEqual(['receive:pong', 'receive:tick', 'send:ping']);
    expect(spec.replies.get('ping')).toEqual(['pong']);
    const v = validatorFor(spec);
    expect(v.validate({ kind: 'tick', n: 1, symbol: 'ACME', price: 1, at: '2026-01-01T00:00:00Z' }).valid).toBe(true);
    const bad = v.validate({ kind: 'tick', n: 1, symbol: 'ACME', price: -1, at: 1767225600 });
    expect(bad.issues.map((i) => [i.code, i.path, i.keyword])).toEqual([
      ['envelope', '$.at', 'type'],
      ['schema', '$.price', 'minimum'],
    ]);
    expect(bad.issues[0].expected).toBe('an ISO 8601 string (e.g. "2026-01-08T10:30:00Z")');
  });

  it('names the file and line of a malformed extension', async () => {
    const file = variant((t) => t.replace('transport: websocket', 'transport: carrier-pigeon'));
    const err = await loadError(file);
    expect(err).toBeInstanceOf(SpecError);
    expect(err.code).toBe('WSC_SPEC_EXTENSION');
    expect(err.file).toBe(file);
    const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('carrier-pigeon')) + 1;
    expect(err.line).toBe(line);
    expect(err.message).toContain('x-wsconform.transport must be equal to one of the allowed values (socket.io, websocket)');
  });

  it('rejects an extension that names a message the document does not have', async () => {
    const err = await loadError(variant((t) => t.replace('appPing: { ping: ping, pong: pong }', 'appPing: { ping: ping, pong: pongg }')));
    expect(err.code).toBe('WSC_SPEC_EXTENSION');
    expect(err.message).toContain('x-wsconform.keepalive.appPing names "pongg", which is no message of the document');
  });

  it.each(['parser', 'schema'] as const)('reports an invalid document with file and line (%s diagnostics)', async (how) => {
    const file = variant((t) => t.replace('    action: send', '    action: shout'));
    const err = await loadError(file, how);
    expect(err.code).toBe('WSC_SPEC_INVALID');
    expect(err.file).toBe(file);
    expect(err.line).toBe(readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('action: shout')) + 1);
    expect(err.message).toMatch(/action/);
  });

  it('names the missing field and its parent\'s line without @asyncapi/parser', async () => {
    const file = variant((t) => t.replace(/^  title: .*\n/m, ''));
    const err = await loadError(file, 'schema');
    expect(err.message).toBe(`${file}:${readFileSync(file, 'utf8').split('\n').indexOf('info:') + 1}: info must have required property 'title'`);
  });

  it('names a field the AsyncAPI schema does not allow, at its own line', async () => {
    const file = variant((t) => t.replace(/^info:\n/m, 'info:\n  colour: blue\n'));
    const err = await loadError(file, 'schema');
    expect(err.message).toBe(`${file}:${readFileSync(file, 'utf8').split('\n').indexOf('  colour: blue') + 1}: info.colour is not allowed here`);
  });

  it('says which 3.x versions it knows without @asyncapi/parser', async () => {
    const err = await loadError(variant((t) => t.replace(/^asyncapi: 3\.0\.0$/m, 'asyncapi: 3.9.0')), 'schema');
    expect(err.message).toContain('no AsyncAPI JSON Schema for version 3.9.0 (this wsconform knows 3.0.0, 3.1.0); install @asyncapi/parser for newer versions');
  });

  it('reports a YAML syntax error with its line', async () => {
    const err = await loadError(variant((t) => t.replace('info:\n', 'info: [\n')));
    expect(err.code).toBe('WSC_SPEC_SYNTAX');
    expect(err.line).toBeGreaterThan(0);
  });

  it('says what to give when the protocol is neither built in nor a file', async () => {
    const err = await loadError('no-such-protocol');
    expect(err.code).toBe('WSC_SPEC_NOT_FOUND');
    expect(err.message).toContain('give a built-in protocol (kiwi, clown, coda, aragora, aragora-control-plane, gemini-chat)');
  });

  it('rejects a document without the extension', async () => {
    const err = await loadError(variant((t) => t.slice(0, t.indexOf('x-wsconform:'))));
    expect(err.code).toBe('WSC_SPEC_EXTENSION');
    expect(err.message).toContain('has no x-wsconform extension');
  });
});

import { Parser, fromFile } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadSpec } from '../../src/spec/load.js';
import { BUILTIN_PROTOCOLS, specFile } from '../../src/spec/paths.js';
import { ROOT } from '../helpers.js';

const parser = new Parser();

describe('the AsyncAPI documents', () => {
  it.each(BUILTIN_PROTOCOLS)('%s parses with @asyncapi/parser with zero error diagnostics', async (id) => {
    const { document, diagnostics } = await fromFile(parser, specFile(id)).parse();
    const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`);
    expect(errors).toEqual([]);
    expect(document).toBeDefined();
    expect(document!.version()).toBe('3.0.0');
    expect(document!.messages().length).toBeGreaterThan(0);
  });
});

describe('the AsyncAPI JSON Schema check (the one a runtime install has, without @asyncapi/parser)', () => {
  it.each([...BUILTIN_PROTOCOLS, 'examples/ticker.asyncapi.yaml'])('%s passes it', async (id) => {
    const spec = await loadSpec(id.includes('/') ? join(ROOT, id) : id, { parse: true, diagnostics: 'schema' });
    expect(spec.messages.length).toBeGreaterThan(0);
  });
});

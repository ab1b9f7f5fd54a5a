import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/spec/load.js';
import { BUILTIN_PROTOCOLS } from '../../src/spec/paths.js';

const documented = JSON.parse(readFileSync(join(import.meta.dirname, 'documented-names.json'), 'utf8')) as Record<string, { receive: string[]; send: string[] }>;

describe('every message the documents name', () => {
  it.each(BUILTIN_PROTOCOLS)('%s: exists as a message with a schema, in the right direction, and nothing else does', async (id) => {
    const spec = await loadSpec(id);
    for (const direction of ['receive', 'send'] as const) {
      const names = spec.messages.filter((m) => m.direction === direction).map((m) => m.name).sort();
      expect(names, `${id} ${direction}`).toEqual([...documented[id][direction]].sort());
    }
    const noPayload = spec.messages.filter((m) => !m.schema).map((m) => m.name);
    // Socket.IO events the document shows without arguments are the only messages without a payload schema.
    if (spec.transport === 'websocket') expect(noPayload).toEqual([]);
    for (const m of spec.messages) {
      if (m.schema) expect(m.schema.$id, `${id} ${m.name}`).toMatch(/^https:\/\/wsconform\.dev\/schemas\//);
    }
  });
});

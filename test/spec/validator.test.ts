import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/spec/load.js';
import { jsonPath, schemaIncludes, validatorFor } from '../../src/spec/validator.js';

describe('validatorFor', () => {
  it('reports an envelope fault as an envelope issue naming the documented timestamp format', async () => {
    const v = validatorFor(await loadSpec('kiwi'));
    const r = v.validate({ event: 'LLM_TOKEN', data: { token: 'a' }, timestamp: '2026-01-08T10:30:00Z', source: 'llm' });
    expect(r.name).toBe('LLM_TOKEN');
    expect(r.issues).toEqual([
      {
        code: 'envelope',
        path: '$.timestamp',
        message: '$.timestamp must be a number of epoch seconds (e.g. 1709000000.0)',
        expected: 'a number of epoch seconds (e.g. 1709000000.0)',
        actual: 'string "2026-01-08T10:30:00Z"',
        keyword: 'type',
        schemaPath: '#/properties/timestamp/type',
      },
    ]);
  });

  it('reports an ISO timestamp drift on an ISO-documented protocol when epoch seconds are sent', async () => {
    const v = validatorFor(await loadSpec('clown'));
    const r = v.validate({ type: 'ProfileDeleted', timestamp: 1767225600.5, data: { alias: 'x' } });
    expect(r.issues.map((i) => [i.code, i.path, i.expected])).toEqual([['envelope', '$.timestamp', 'an ISO 8601 string (e.g. "2026-01-08T10:30:00Z")']]);
  });

  it('identifies a message that exists in both directions by the direction asked', async () => {
    const v = validatorFor(await loadSpec('aragora'));
    const send = v.validate({ type: 'user_vote', loop_id: 'l1', payload: { choice: 'A', intensity: 7 } }, 'send');
    expect(send.valid).toBe(true);
    expect(send.message?.key).toBe('UserVoteMessage');
    const receive = v.validate({ type: 'user_vote', data: {}, timestamp: 1 }, 'receive');
    expect(receive.message?.key).toBe('UserVoteEvent');
  });

  it('reports an unknown name as unknown-message, not as a schema error', async () => {
    const v = validatorFor(await loadSpec('aragora'));
    const r = v.validate({ type: 'totally_new_event', data: {}, timestamp: 1 });
    expect(r.issues.map((i) => i.code)).toEqual(['unknown-message']);
  });
});

describe('hostile input', () => {
  it('gives a verdict, not a stack overflow, for JSON nested 5000 deep', async () => {
    const v = validatorFor(await loadSpec('kiwi'));
    const r = v.validateText('['.repeat(5000) + ']'.repeat(5000));
    expect(r.issues.map((i) => [i.code, i.actual])).toEqual([['not-object', 'array [array of 1, too deeply nested to print]']]);
  });
});

describe('schemaIncludes', () => {
  const envelope = { type: 'object', properties: { t: { type: 'number' }, name: { type: 'string' } }, required: ['t', 'name'] };

  it('is true when the message restates every envelope field, narrowing a plain type', () => {
    expect(schemaIncludes({ type: 'object', properties: { t: { type: 'number', description: 'x' }, name: { type: 'string', const: 'a' }, extra: {} }, required: ['name', 't', 'extra'] }, envelope)).toBe(true);
  });

  it('is false when a field is optional, missing, or of another type in the message', () => {
    expect(schemaIncludes({ type: 'object', properties: { t: { type: 'number' }, name: { type: 'string' } }, required: ['name'] }, envelope)).toBe(false);
    expect(schemaIncludes({ type: 'object', properties: { name: { type: 'string' } }, required: ['name', 't'] }, envelope)).toBe(false);
    expect(schemaIncludes({ type: 'object', properties: { t: { type: 'string' }, name: { type: 'string' } }, required: ['name', 't'] }, envelope)).toBe(false);
    expect(schemaIncludes({ type: 'object', properties: { t: { $ref: '#/definitions/T' }, name: { type: 'string' } }, required: ['name', 't'] }, envelope)).toBe(false);
  });
});

describe('jsonPath', () => {
  it('renders JSON pointers as readable paths', () => {
    expect(jsonPath('')).toBe('$');
    expect(jsonPath('/data/items/0/a b')).toBe('$.data.items[0]["a b"]');
  });
});

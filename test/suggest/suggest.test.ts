// wsconform suggest: each kind of drift on a document no part of the kit knows (one change per
// drift, and nothing else), the CLI's output, JSON Patch, --write and exit codes.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { diffSpecs } from '../../src/diff/diff.js';
import { loadSpec } from '../../src/spec/load.js';
import { readObserved } from '../../src/suggest/input.js';
import { suggest, type SuggestReport } from '../../src/suggest/suggest.js';
import { ROOT, runCli } from '../helpers.js';

const DOC = join(ROOT, 'test', 'suggest', 'documents', 'quotes.asyncapi.yaml');

/** A fresh copy of the quotes document (so that --write and reloads stay in the test). */
function copy(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'wsconform-suggest-')), 'quotes.yaml');
  copyFileSync(DOC, file);
  return file;
}

const jsonl = (messages: unknown[]) => messages.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join('\n') + '\n';

async function suggestOn(messages: unknown[], file = copy()): Promise<SuggestReport & { file: string }> {
  const report = await suggest(await loadSpec(file), readObserved(jsonl(messages)));
  return { ...report, file };
}

const quote = (over: Record<string, unknown> = {}) => ({ type: 'quote', symbol: 'ACME', price: 101.5, venue: 'XNYS', at: '2026-01-08T10:30:00Z', ...over });
const trade = (over: Record<string, unknown> = {}) => ({ type: 'trade', id: 't-1', qty: 10, side: 'buy', ...over });

/** The document after the report's changes. */
function after(r: { files: SuggestReport['files']; file: string }): Record<string, any> {
  return parse(r.files.find((f) => f.file === r.file)!.after);
}

describe('wsconform suggest: one change per drift', () => {
  it('widens a type where some instances keep it (null where a string is documented)', async () => {
    const r = await suggestOn([quote(), quote({ venue: null }), quote()]);
    expect(r.suggestions.map((s) => [s.kind, s.message, s.field, s.evidence.count, s.evidence.of])).toEqual([['widen-type', 'quote', '$.venue', 1, 3]]);
    expect(r.suggestions[0].evidence.first).toEqual([{ line: 2, value: 'null' }]);
    expect(after(r).components.messages.quote.payload.properties.venue).toEqual({ type: ['string', 'null'] });
    expect(r.nonconformingAfter).toBe(0);
  });

  it('changes a type that no instance keeps, with the format the values have', async () => {
    const r = await suggestOn([trade({ qty: '10' }), trade({ qty: '12' })]);
    expect(r.suggestions.map((s) => [s.kind, s.field, s.summary])).toEqual([['change-type', '$.qty', '$.qty of trade is string, not integer']]);
    expect(after(r).components.messages.trade.payload.properties.qty).toEqual({ type: 'string' });
  });

  it('makes a field optional when it is missing in some messages, saying how many', async () => {
    const { venue: _, ...bare } = quote();
    const r = await suggestOn([quote(), bare, quote(), bare]);
    expect(r.suggestions.map((s) => [s.kind, s.field, s.evidence.count, s.evidence.of])).toEqual([['optional', '$.venue', 2, 4]]);
    expect(r.suggestions[0].summary).toBe('$.venue of quote is missing in 2 of 4 messages: it becomes optional');
    expect(after(r).components.messages.quote.payload.required).toEqual(['type', 'symbol', 'price', 'at']);
  });

  it('proposes a rename where a new field replaces a documented one in every message', async () => {
    const renamed = (p: number) => {
      const { symbol, ...rest } = quote({ price: p });
      return { ...rest, ticker: symbol };
    };
    const r = await suggestOn([renamed(1), renamed(2)]);
    expect(r.suggestions.map((s) => [s.kind, s.field, s.summary])).toEqual([['rename-field', '$.symbol', '$.symbol of quote is sent as $.ticker in every message: a rename']]);
    const payload = after(r).components.messages.quote.payload;
    expect(Object.keys(payload.properties)).toEqual(['type', 'ticker', 'price', 'venue', 'at']); // renamed in place
    expect(payload.required).toEqual(['type', 'ticker', 'price', 'venue', 'at']);
  });

  it('drops a format no value has, and widens an enum with the values seen', async () => {
    const r = await suggestOn([quote({ at: 'yesterday' }), trade({ side: 'hold' }), trade()]);
    expect(r.suggestions.map((s) => [s.kind, s.message, s.field]).sort()).toEqual([['format', 'quote', '$.at'], ['widen-enum', 'trade', '$.side']]);
    const messages = after(r).components.messages;
    expect(messages.quote.payload.properties.at).toEqual({ type: 'string' });
    expect(messages.trade.payload.properties.side.enum).toEqual(['buy', 'sell', 'hold']);
  });

  it('documents the fields a closed schema forbids, inferred, optional', async () => {
    const r = await suggestOn([{ type: 'status', state: 'open', since: '2026-01-08T10:30:00Z' }]);
    expect(r.suggestions.map((s) => s.kind)).toEqual(['add-property']);
    const status = after(r).components.messages.status.payload;
    expect(status.properties.since).toMatchObject({ type: 'string', format: 'date-time' });
    expect(status.required).toEqual(['type', 'state']);
  });

  it('proposes a rename where an undocumented name has the shape of a documented message never seen', async () => {
    const r = await suggestOn([quote(), { ...trade(), type: 'fill' }, { ...trade({ id: 't-2' }), type: 'fill' }]);
    expect(r.suggestions.map((s) => [s.kind, s.message, s.evidence.count])).toEqual([['rename-message', 'trade', 2]]);
    const messages = after(r).components.messages;
    expect([messages.trade.name, messages.trade.payload.properties.type.const]).toEqual(['fill', 'fill']);
    expect(r.nonconformingAfter).toBe(0);
  });

  it('infers a new message from its instances: types, required = present in all, formats; values stay examples', async () => {
    const ack = (n: number, extra = {}) => ({ type: 'heartbeat_ack', n, when: `2026-01-08T10:30:0${n}Z`, ...extra });
    const r = await suggestOn([ack(1), ack(2, { note: 'late' }), ack(3)]);
    expect(r.suggestions.map((s) => [s.kind, s.message, s.evidence.count, s.evidence.of])).toEqual([['new-message', 'heartbeat_ack', 3, 3]]);
    const doc = after(r);
    const message = doc.components.messages.HeartbeatAck;
    expect(message.payload).toEqual({
      type: 'object',
      properties: { type: { type: 'string', const: 'heartbeat_ack' }, n: { type: 'integer' }, when: { type: 'string', format: 'date-time' }, note: { type: 'string' } },
      required: ['type', 'n', 'when'],
    });
    expect(JSON.stringify(message.payload)).not.toContain('enum');
    expect(message.examples[0].payload).toEqual(ack(1));
    // It is in the channel and in the receive operation: the document still loads, and names it.
    expect(doc.channels.market.messages.HeartbeatAck).toEqual({ $ref: '#/components/messages/HeartbeatAck' });
    expect(doc.operations.receiveMarket.messages.at(-1)).toEqual({ $ref: '#/channels/market/messages/HeartbeatAck' });
    expect(r.nonconformingAfter).toBe(0);
  });

  it('puts a new client message in a send operation, from a transcript line that says its direction', async () => {
    // subscribe is seen under its own name: unsubscribe, of the same shape, does not replace it.
    const r = await suggestOn([{ direction: 'send', frame: { type: 'subscribe', symbol: 'ACME' } }, { direction: 'send', frame: { type: 'unsubscribe', symbol: 'ACME' } }]);
    expect(r.suggestions.map((s) => [s.kind, s.direction, s.message])).toEqual([['new-message', 'send', 'unsubscribe']]);
    expect(after(r).operations.sendSubscribe.messages.at(-1)).toEqual({ $ref: '#/channels/market/messages/Unsubscribe' });
  });

  it('finds several drifts at once, one change each and nothing else', async () => {
    const { venue: _, ...bare } = quote();
    const r = await suggestOn([quote({ price: null }), bare, quote(), trade({ qty: '5' }), { type: 'halt', reason: 'circuit breaker' }]);
    expect(r.suggestions.map((s) => `${s.kind} ${s.message}${s.field ? ` ${s.field}` : ''}`).sort()).toEqual(['change-type trade $.qty', 'new-message halt', 'optional quote $.venue', 'widen-type quote $.price']);
    expect(r.nonconformingAfter).toBe(0);
  });

  it('says what no change can fix, and never drops a line', async () => {
    const r = await suggestOn([quote(), 'not json at all', 42]);
    expect(r.notes).toEqual([
      "1 line is not JSON (first: line 2: Unexpected token 'o', \"not json at all\" is not valid JSON); they were not judged.",
      'still nonconforming, 1 message (first: line 3): not-object: $ must be a JSON object',
    ]);
    expect([r.messages, r.nonconformingAfter, r.suggestions]).toEqual([2, 1, []]);
  });

  it('is classified by diff as the drift calls for: a widened server field breaks readers only', async () => {
    const r = await suggestOn([quote(), quote({ venue: null })]);
    for (const f of r.files) writeFileSync(f.file, f.after);
    const changes = diffSpecs(await loadSpec(DOC), await loadSpec(r.file)).changes;
    expect(changes.map((c) => [c.rule, c.breaks])).toEqual([['type-widened', ['clients']]]);
  });
});

// Each spawns the CLI, which checks a user's document with @asyncapi/parser: slow on a loaded machine.
describe('wsconform suggest: the command', () => {
  const drifting = jsonl([quote({ venue: null }), quote()]);

  it('prints each change with its evidence, then the unified diff; exits 1; leaves the file alone', async () => {
    const file = copy();
    const before = readFileSync(file, 'utf8');
    const r = await runCli(['suggest', file, '--from', '-'], { input: drifting });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('1. [widen-type] $.venue of quote may also be null');
    expect(r.stdout).toContain('1 of 2; first line 1: null');
    expect(r.stdout).toMatch(/^--- a\/.*quotes\.yaml$/m);
    expect(r.stdout).toContain('-          venue: { type: string }\n+          venue: { type: [ string, "null" ] }');
    expect(readFileSync(file, 'utf8')).toBe(before);
  }, 90_000);

  it('--json gives each change with JSON Patch operations, and the patch per file', async () => {
    const file = copy();
    const r = await runCli(['suggest', file, '--from', '-', '--json'], { input: drifting });
    const out = JSON.parse(r.stdout);
    expect(out.suggestions[0]).toMatchObject({ kind: 'widen-type', message: 'quote', field: '$.venue', evidence: { count: 1, of: 2 } });
    expect(out.patch).toEqual([{ file, operations: [{ op: 'replace', path: '/components/messages/quote/payload/properties/venue/type', value: ['string', 'null'] }] }]);
    expect(out.diff).toContain('+++ b/');
  }, 90_000);

  it('--write applies the changes; the recording then conforms and a second suggest finds nothing', async () => {
    const file = copy();
    const transcript = join(mkdtempSync(join(tmpdir(), 'wsconform-suggest-')), 'drift.jsonl');
    writeFileSync(transcript, drifting);
    expect((await runCli(['validate', file, transcript], { timeoutMs: 60_000 })).code).toBe(1);
    const written = await runCli(['suggest', file, '--from', transcript, '--write'], { timeoutMs: 60_000 });
    expect([written.code, written.stderr]).toEqual([1, expect.stringContaining('suggest: wrote ')]);
    expect((await runCli(['validate', file, transcript], { timeoutMs: 60_000 })).code).toBe(0);
    const again = await runCli(['suggest', file, '--from', transcript], { timeoutMs: 60_000 });
    expect([again.code, again.stdout]).toEqual([0, expect.stringContaining('every message conforms: nothing to change')]);
  }, 120_000);

  it('refuses --write on a built-in document, an input with no message, and a missing input', async () => {
    const builtin = await runCli(['suggest', 'kiwi', '--from', '-', '--write'], { input: drifting });
    expect([builtin.code, builtin.stderr]).toEqual([2, expect.stringContaining('"kiwi" is a built-in document')]);
    const empty = await runCli(['suggest', DOC, '--from', '-'], { input: '\n\n' });
    expect([empty.code, empty.stderr]).toEqual([2, expect.stringContaining('holds no message to judge')]);
    const neither = await runCli(['suggest', DOC]);
    expect([neither.code, neither.stderr]).toEqual([2, expect.stringContaining('--from <recording|transcript> or --url')]);
    const missing = await runCli(['suggest', DOC, '--from', '/nonexistent/rec.jsonl']);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('/nonexistent/rec.jsonl')]);
  }, 120_000);
});

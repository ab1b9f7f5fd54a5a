// wsconform diff: each rule of the table with a minimal pair of documents, a breaking change and
// a non-breaking one; the CLI's formats and exit codes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { diffSpecs, DIFF_RULES, type Change, type Party } from '../../src/diff/diff.js';
import { loadSpec } from '../../src/spec/load.js';
import { runCli } from '../helpers.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The smallest document with a server message (`tick`), a client message (`order`) and a few rules. */
function base(): Doc {
  return {
    asyncapi: '3.0.0',
    info: { title: 'Diff test stream', version: '1.0.0' },
    servers: { local: { host: 'localhost:9400', protocol: 'ws' } },
    channels: { feed: { address: '/feed', messages: { tick: { $ref: '#/components/messages/tick' }, order: { $ref: '#/components/messages/order' } } } },
    operations: {
      receiveTick: { action: 'receive', channel: { $ref: '#/channels/feed' }, messages: [{ $ref: '#/channels/feed/messages/tick' }] },
      sendOrder: { action: 'send', channel: { $ref: '#/channels/feed' }, messages: [{ $ref: '#/channels/feed/messages/order' }] },
    },
    components: {
      messages: {
        tick: {
          name: 'tick',
          payload: {
            type: 'object',
            required: ['type', 'price', 'seq'],
            properties: { type: { const: 'tick' }, price: { type: 'number' }, seq: { type: 'integer' }, venue: { type: 'string' }, side: { type: 'string', enum: ['buy', 'sell'] }, at: { type: 'string', format: 'date-time' } },
          },
        },
        order: {
          name: 'order',
          payload: { type: 'object', required: ['type', 'qty'], properties: { type: { const: 'order' }, qty: { type: 'integer', minimum: 1 }, note: { type: 'string' } } },
        },
      },
    },
    'x-wsconform': {
      version: 1,
      transport: 'websocket',
      sequences: [{ field: 'seq', order: 'strictly-increasing' }],
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'wsconform-diff-'));
let n = 0;
async function specOf(doc: Doc) {
  const file = join(dir, `doc-${++n}.yaml`);
  writeFileSync(file, stringify(doc));
  return loadSpec(file);
}
async function diff(mutate: (d: Doc) => void): Promise<Change[]> {
  const after = base();
  mutate(after);
  return diffSpecs(await specOf(base()), await specOf(after)).changes;
}
const tick = (d: Doc) => d.components.messages.tick.payload;
const order = (d: Doc) => d.components.messages.order.payload;
const addMessage = (d: Doc, name: string, action: 'receive' | 'send') => {
  d.components.messages[name] = { name, payload: { type: 'object', required: ['type'], properties: { type: { const: name } } } };
  d.channels.feed.messages[name] = { $ref: `#/components/messages/${name}` };
  d.operations[`${action}-${name}`] = { action, channel: { $ref: '#/channels/feed' }, messages: [{ $ref: `#/channels/feed/messages/${name}` }] };
};
const removeMessage = (d: Doc, name: string, op: string) => {
  delete d.components.messages[name];
  delete d.channels.feed.messages[name];
  delete d.operations[op];
};

/** [case, mutation, the rule and the parties it breaks (empty: breaks no one)] */
const CASES: [string, (d: Doc) => void, string, Party[]][] = [
  // Messages.
  ['a server message removed', (d) => removeMessage(d, 'tick', 'receiveTick'), 'message-removed', ['clients', 'servers']],
  ['a server message added', (d) => addMessage(d, 'halt', 'receive'), 'message-added', []],
  ['a client message added', (d) => addMessage(d, 'cancel', 'send'), 'message-added', ['servers']],
  // Required fields: of a server message (servers write it), of a client message (clients write it).
  ['a server field made required', (d) => tick(d).required.push('venue'), 'field-required', ['servers']],
  ['a server field no longer required', (d) => (tick(d).required = ['type', 'seq']), 'field-optional', ['clients']],
  ['a client field made required', (d) => order(d).required.push('note'), 'field-required', ['clients']],
  ['a required server field removed', (d) => { delete tick(d).properties.price; tick(d).required = ['type', 'seq']; }, 'field-removed', ['clients']],
  ['an optional server field removed', (d) => delete tick(d).properties.venue, 'optional-field-removed', []],
  ['an optional server field added', (d) => (tick(d).properties.volume = { type: 'number' }), 'optional-field-added', []],
  // Types.
  ['a server field narrowed (number → integer)', (d) => (tick(d).properties.price = { type: 'integer' }), 'type-narrowed', ['servers']],
  ['a server field widened (integer → number)', (d) => (tick(d).properties.seq = { type: 'number' }), 'type-widened', ['clients']],
  ['a client field widened (integer → integer | string)', (d) => (order(d).properties.qty = { type: ['integer', 'string'], minimum: 1 }), 'type-widened', ['servers']],
  ['a server field changed (number → string)', (d) => (tick(d).properties.price = { type: 'string' }), 'type-changed', ['clients', 'servers']],
  // Values.
  ['an enum value removed', (d) => (tick(d).properties.side.enum = ['buy']), 'values-removed', ['servers']],
  ['an enum value added', (d) => (tick(d).properties.side.enum = ['buy', 'sell', 'hold']), 'values-added', ['clients']],
  // Formats: a timestamp's representation.
  ['a format changed (date-time → date)', (d) => (tick(d).properties.at.format = 'date'), 'format-changed', ['clients', 'servers']],
  ['a format removed', (d) => delete tick(d).properties.at.format, 'format-removed', ['clients']],
  ['a timestamp from an ISO string to epoch seconds', (d) => (tick(d).properties.at = { type: 'number' }), 'type-changed', ['clients', 'servers']],
  // Bounds.
  ['a client bound narrowed (minimum 1 → 10)', (d) => (order(d).properties.qty.minimum = 10), 'bound-narrowed', ['clients']],
  ['a client bound widened (minimum 1 → 0)', (d) => (order(d).properties.qty.minimum = 0), 'bound-widened', ['servers']],
  ['a server object closed', (d) => (tick(d).additionalProperties = false), 'closed', ['servers']],
  // Channels and servers.
  ['a channel moved', (d) => (d.channels.feed.address = '/v2/feed'), 'channel-moved', ['clients', 'servers']],
  ['a server added', (d) => (d.servers.backup = { host: 'localhost:9401', protocol: 'ws' }), 'server-added', []],
  // x-wsconform.
  ['an initial message added', (d) => (d['x-wsconform'].initialMessages = [{ message: 'tick' }]), 'initial-message-added', ['servers']],
  ['a sequence made stricter (strictly-increasing → consecutive)', (d) => (d['x-wsconform'].sequences[0].order = 'consecutive'), 'sequence-stricter', ['servers']],
  ['a sequence removed (no order any more)', (d) => (d['x-wsconform'].sequences = []), 'sequence-removed', ['clients']],
  ['the name field changed', (d) => { d['x-wsconform'].nameField = { receive: 'kind', send: 'type' }; tick(d).properties.kind = { const: 'tick' }; }, 'name-field-changed', ['clients', 'servers']],
  ['authentication added', (d) => (d['x-wsconform'].auth = { means: [{ in: 'query', name: 'token' }], withoutToken: 'refuse' }), 'auth-added', ['clients']],
  ['optional authentication added', (d) => (d['x-wsconform'].auth = { means: [{ in: 'query', name: 'token' }], withoutToken: 'either', optional: true }), 'auth-added', []],
  ['a subprotocol required', (d) => (d['x-wsconform'].subprotocol = { offer: ['feed.v1'], required: true }), 'subprotocol-added', ['servers']],
  ['batching allowed', (d) => (d['x-wsconform'].batching = { events: 'array' }), 'batching-allowed', ['clients']],
  ['an unclassified rule changed', (d) => (d['x-wsconform'].broadcast = {}), 'extension-changed', ['clients', 'servers']],
];

describe('wsconform diff: the rule table', () => {
  it.each(CASES)('%s: %s', async (_name, mutate, rule, breaks) => {
    const changes = await diff(mutate);
    const hit = changes.filter((c) => c.rule === rule);
    expect(hit.map((c) => c.breaks), JSON.stringify(changes)).toEqual([breaks]);
    expect(hit[0].reason.length).toBeGreaterThan(10);
  });

  it('every rule a case names is a rule of the table', () => {
    for (const [, , rule] of CASES) expect(DIFF_RULES).toContain(rule);
  });

  it('words change nothing: descriptions, examples, titles and bases', async () => {
    const changes = await diff((d) => {
      tick(d).properties.price.description = 'The last price.';
      d.components.messages.tick.examples = [{ payload: { type: 'tick', price: 1, seq: 1 } }];
      d['x-wsconform'].sequences[0].basis = { quote: 'seq grows', source: 'Ordering' };
      d.info.description = 'Now with words.';
    });
    expect(changes).toEqual([]);
  });

  it('a built-in document against itself has no change, and the six documents differ from each other by breaking changes', async () => {
    expect(diffSpecs(await loadSpec('kiwi'), await loadSpec('kiwi')).changes).toEqual([]);
    const r = diffSpecs(await loadSpec('kiwi'), await loadSpec('clown'));
    expect(r.summary.breaking).toBeGreaterThan(0);
    expect(r.changes.find((c) => c.rule === 'timestamp-changed' || c.path.includes('timestamp'))).toBeDefined();
  });
});

describe('wsconform diff: the CLI', () => {
  it('exits 0 when nothing breaks, 1 when something does, and --fail-on any counts every change', async () => {
    const a = join(dir, 'cli-a.yaml');
    const b = join(dir, 'cli-b.yaml');
    const c = join(dir, 'cli-c.yaml');
    writeFileSync(a, stringify(base()));
    const added = base();
    tick(added).properties.volume = { type: 'number' };
    writeFileSync(b, stringify(added));
    const broken = base();
    tick(broken).required.push('venue');
    writeFileSync(c, stringify(broken));
    expect((await runCli(['diff', a, a])).code).toBe(0);
    const ok = await runCli(['diff', a, b]);
    expect([ok.code, ok.stdout]).toEqual([0, expect.stringContaining('ok        optional field messages.tick.volume added  [optional-field-added]')]);
    expect((await runCli(['diff', a, b, '--fail-on', 'any'])).code).toBe(1);
    const bad = await runCli(['diff', a, c]);
    expect([bad.code, bad.stdout]).toEqual([1, expect.stringContaining('BREAKING  messages.tick.venue is now required  [field-required]')]);
    expect(bad.stdout).toContain('breaks servers: servers that left it out no longer conform');
    const json = JSON.parse((await runCli(['diff', a, c, '--format', 'json'])).stdout);
    expect(json.summary).toEqual({ changes: 1, breaking: 1, clients: 0, servers: 1 });
    const md = (await runCli(['diff', a, c, '--format', 'markdown'])).stdout;
    expect(md).toContain('| 🔴 | messages.tick.venue is now required | servers |');
  }, 120_000); // six CLI runs, each loading two documents: seconds apiece on a loaded runner

  it('exits 2 naming the file when a document cannot be read', async () => {
    const r = await runCli(['diff', join(dir, 'missing.yaml'), 'kiwi']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing.yaml');
  });
});

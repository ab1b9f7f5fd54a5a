import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { kiwiEvents, kiwiServer, wsServer, type KiwiOptions, type TestServer } from './servers.js';
import { CHECKS } from '../../conformance/index.js';
import { runSuite } from '../../src/runner/index.js';
import { loadSpec } from '../../src/spec/load.js';
import { FAST, plain, result, run, verdicts } from './suite.js';

const CHAT = fileURLToPath(new URL('./documents/chat.asyncapi.yaml', import.meta.url));
const ev = (event: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ event, data, timestamp: 1709000000.5, source: 'llm', ...extra });

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function kiwi(options: KiwiOptions, only?: string[], strict = false) {
  server = await kiwiServer(options);
  return run('kiwi', server.url, { only, strict });
}

/**
 * Kiwi with bad-input rules a document could state (the Kiwi document itself is silent:
 * `any`): invalid JSON and unknown commands are ignored, frames over 1 MiB close with 1009.
 */
async function kiwiStrict(options: KiwiOptions, only?: string[]) {
  server = await kiwiServer(options);
  const spec = await loadSpec('kiwi');
  const strict = { ...spec, ext: { ...spec.ext, robustness: { invalidJson: { action: 'ignore' as const }, unknownMessage: { action: 'ignore' as const }, maxFrameBytes: 1048576 } } };
  return runSuite(strict, CHECKS, { url: server.url, ...FAST, only });
}

/** A chat-document server sending these frames on connection. */
async function chat(frames: Record<string, unknown>[]) {
  server = await wsServer('/chat', (ws) => {
    for (const f of frames) ws.send(JSON.stringify(f));
  });
  return run(CHAT, server.url, { only: ['handshake', 'ordering'] });
}

describe('stream checks judge the observation transcript', () => {
  it('passes every applicable Kiwi check against a well-behaved server', async () => {
    const report = await kiwi({});
    expect(report.checks.filter((c) => c.verdict !== 'pass' && c.verdict !== 'skip')).toEqual([]);
    expect(report.summary).toEqual({ passed: 14, failed: 0, nonStrict: 0, skipped: 21, errors: 0, total: 35 });
  });

  it('names an ISO 8601 timestamp precisely where epoch seconds are documented', async () => {
    const report = await kiwi({ frames: [ev('LLM_TOKEN', { token: 'a' }, { timestamp: '2026-01-08T10:30:00Z' }), ev('LLM_TOKEN', { token: 'b' }, { timestamp: 1709000000000 })] }, ['envelope']);
    expect(result(report, 'envelope/timestamps').findings.map(plain)).toEqual([
      { message: 'timestamp is an ISO 8601 string, not epoch seconds as a number', expected: 'epoch seconds as a number (e.g. 1709000000.0)', actual: 'an ISO 8601 string "2026-01-08T10:30:00Z"', count: 1, occurrences: [{ frameIndex: 0, frame: '{"event":"LLM_TOKEN","data":{"token":"a"},"timestamp":"2026-01-08T10:30:00Z","source":"llm"}', path: '$.timestamp' }] },
      { message: 'timestamp is epoch milliseconds as an integer, not epoch seconds as a number', expected: 'epoch seconds as a number (e.g. 1709000000.0)', actual: 'epoch milliseconds as an integer 1709000000000', count: 1, occurrences: [{ frameIndex: 1, frame: '{"event":"LLM_TOKEN","data":{"token":"b"},"timestamp":1709000000000,"source":"llm"}', path: '$.timestamp' }] },
    ]);
    expect(result(report, 'envelope/timestamps').findings[0]).toMatchObject({ basis: { quote: '`timestamp` | float | Unix timestamp' }, level: 'MUST' });
    // One cause, one finding: the timestamp drift is not reported again as an envelope or schema fault.
    expect(result(report, 'envelope/fields').verdict).toBe('pass');
    expect(result(report, 'envelope/schema').verdict).toBe('pass');
  });

  it('reports batching as its own finding, distinct from a non-object frame', async () => {
    const report = await kiwi({ frames: [[ev('LLM_TOKEN', { token: 'a' }), ev('LLM_TOKEN', { token: 'b' })], '42'] }, ['envelope/json-objects']);
    expect(result(report, 'envelope/json-objects').findings.map(({ message, expected, actual, count }) => ({ message, expected, actual, count }))).toEqual([
      { message: 'Several events were batched in one frame', expected: 'one event (a JSON object) per frame', actual: 'an array of 2 events in one frame', count: 1 },
      { message: 'A text frame holds JSON that is not an object', expected: 'a JSON object', actual: 'integer 42', count: 1 },
    ]);
  });

  it('groups a hundred schema violations into one finding with its count, three occurrences and the schema path', async () => {
    const frames = Array.from({ length: 100 }, () => ev('LLM_TOKEN', { token: 7 }));
    const report = await kiwi({ frames }, ['envelope/schema']);
    const [finding, ...rest] = result(report, 'envelope/schema').findings;
    expect(rest).toEqual([]);
    expect(finding.message).toBe('LLM_TOKEN: $.data.token must be string');
    expect(finding.expected).toBe('string');
    expect(finding.actual).toBe('integer 7');
    expect(finding.count).toBe(100);
    expect(finding.occurrences.map((o) => [o.frameIndex, o.path])).toEqual([[0, '$.data.token'], [1, '$.data.token'], [2, '$.data.token']]);
    expect(finding.occurrences[0].schemaPath).toMatch(/token\/type$/);
  });

  it('reports a missing envelope field and a missing name field under envelope/fields', async () => {
    const report = await kiwi({ frames: [{ event: 'LLM_TOKEN', data: { token: 'a' }, timestamp: 1709000000.5 }, { data: {}, timestamp: 1, source: 'x' }] }, ['envelope/fields']);
    expect(result(report, 'envelope/fields').findings.map(({ message, expected, actual, occurrences }) => ({ message, expected, actual, path: occurrences[0].path }))).toEqual([
      { message: 'Envelope: $.source is required', expected: 'present', actual: 'missing', path: '$.source' },
      { message: 'A message has no name field', expected: 'the message name in "event" (a string)', actual: 'missing', path: '$.event' },
    ]);
  });

  it('grades an undocumented message name non-strict, and fail under --strict', async () => {
    const frames = [...kiwiEvents(1), ev('MYSTERY', {})];
    const loose = await kiwi({ frames }, ['envelope/known-messages']);
    expect(result(loose, 'envelope/known-messages')).toMatchObject({ level: 'SHOULD', verdict: 'non-strict', findings: [{ message: 'An undocumented message "MYSTERY"', expected: 'a server message the document lists', actual: '"MYSTERY"', count: 1 }] });
    await server!.close();
    const strict = await kiwi({ frames }, ['envelope/known-messages'], true);
    expect(result(strict, 'envelope/known-messages').verdict).toBe('fail');
  });

  it('fails ordering/reply-after-request when a pong arrives before any ping', async () => {
    const report = await kiwi({ unsolicitedPong: true }, ['ordering']);
    expect(result(report, 'ordering/reply-after-request').findings.map(plain)).toEqual([
      { message: 'pong arrived before its request', expected: 'pong only after the client sent ping', actual: 'pong with none of them sent yet', count: 1, occurrences: [{ frameIndex: 0, frame: '{"event":"pong"}' }] },
    ]);
  });
});

describe('active checks send and wait', () => {
  it('fails ping-pong/app-ping when the pong never comes, naming the wait', async () => {
    const report = await kiwi({ noPong: true }, ['ping-pong/app-ping']);
    expect(result(report, 'ping-pong/app-ping').findings.map(({ message, expected, actual }) => ({ message, expected, actual }))).toEqual([
      { message: 'No pong answered ping', expected: 'pong within 500 ms', actual: 'nothing within 500 ms' },
    ]);
  });

  it('fails ping-pong/ws-ping-frame when the pong frame does not echo the payload', async () => {
    const report = await kiwi({ wrongPongPayload: true }, ['ping-pong/ws-ping-frame']);
    const [f] = result(report, 'ping-pong/ws-ping-frame').findings;
    expect(f.message).toBe('The pong frame does not echo the ping payload');
    expect(f.expected).toMatch(/^payload "wsconform-[a-z0-9]+"$/);
    expect(f.actual).toBe('payload "something else"');
  });

  it('reports batched events as batching and still judges every event inside the batch', async () => {
    server = await wsServer('/api/events', (ws) => {
      ws.send(JSON.stringify([ev('LLM_TOKEN', { token: 'a' }), ev('LLM_TOKEN', { token: 7 }), ev('TTS_FINISHED', {}, { timestamp: '2026-01-08T10:30:00Z' })]));
    });
    const report = await run('kiwi', server.url, { only: ['envelope'] });
    expect(verdicts(report)).toMatchObject({ 'envelope/json-objects': 'fail', 'envelope/schema': 'fail', 'envelope/timestamps': 'fail', 'envelope/fields': 'pass' });
    expect(result(report, 'envelope/json-objects').findings.map((f) => f.actual)).toEqual(['an array of 3 events in one frame']);
    const [schema] = result(report, 'envelope/schema').findings;
    expect(schema.message).toBe('LLM_TOKEN: $.data.token must be string');
    expect(schema.occurrences[0]).toMatchObject({ frameIndex: 0, path: '$[1].data.token', schemaPath: '#/properties/data/properties/token/type' });
    expect(result(report, 'envelope/timestamps').findings[0].occurrences[0].path).toBe('$[2].timestamp');
  });

  it('accepts any answer to bad input where the document is silent, as long as the server keeps serving', async () => {
    const report = await kiwi({ closeOnInvalidJson: true, maxPayload: 4 * 1024 * 1024 }, ['robustness']);
    expect(verdicts(report)).toEqual({ 'robustness/invalid-json': 'pass', 'robustness/unknown-message': 'pass', 'robustness/non-object-json': 'pass', 'robustness/oversized-frame': 'pass', 'robustness/close-codes': 'skip', 'robustness/probes': 'skip' });
  });

  it('fails robustness/invalid-json when invalid JSON closes a connection the document says stays open', async () => {
    const report = await kiwiStrict({ closeOnInvalidJson: true }, ['robustness']);
    const [f] = result(report, 'robustness/invalid-json').findings;
    expect(f.message).toBe('The server closed the connection after a frame that is not JSON');
    expect(f.expected).toBe('the input is ignored: the connection stays open');
    expect(f.actual).toMatch(/^the server closed the connection \(code 1003, reason "invalid json"\) after \d+ ms$/);
    expect(verdicts(report)).toEqual({ 'robustness/invalid-json': 'fail', 'robustness/unknown-message': 'pass', 'robustness/non-object-json': 'pass', 'robustness/oversized-frame': 'pass', 'robustness/close-codes': 'skip', 'robustness/probes': 'skip' });
  });

  it('fails robustness/oversized-frame when a frame above maxFrameBytes is accepted', async () => {
    const report = await kiwiStrict({ maxPayload: 4 * 1024 * 1024 }, ['robustness/oversized-frame']);
    expect(result(report, 'robustness/oversized-frame').findings.map(({ message, expected, actual }) => ({ message, expected, actual }))).toEqual([
      { message: 'The connection stayed open after a frame of 1048577 bytes (maxFrameBytes 1048576)', expected: 'the server closes the connection with code 1009 within 500 ms', actual: 'still open after 500 ms' },
    ]);
  });
});

describe('a user document drives the same checks', () => {
  const good = [
    { kind: 'hello' },
    { kind: 'step_start', id: 'a', n: 1, agent: 'x', agent_n: 5 },
    { kind: 'step_note', id: 'a', n: 2, agent: 'y', agent_n: 1 },
    { kind: 'chunk', text: 'Hel', sofar: 'Hel', n: 3, agent: 'x', agent_n: 6 },
    { kind: 'chunk', text: 'lo', sofar: 'Hello', n: 4 },
    { kind: 'done', full: 'Hello', n: 5 },
    { kind: 'step_end', id: 'a', n: 6 },
    { kind: 'chunk', text: 'X', sofar: 'X', n: 7 },
    { kind: 'cancelled', n: 8 },
    { kind: 'chunk', text: 'Y', sofar: 'Y', n: 9 },
  ];

  it('passes initial messages, sequences, lifecycles and accumulations of a conforming stream', async () => {
    const report = await chat(good);
    expect(verdicts(report)).toEqual({
      'handshake/upgrade': 'pass',
      'handshake/initial-messages': 'pass',
      'handshake/subprotocol': 'skip',
      'handshake/opening': 'skip',
      'ordering/sequence': 'pass',
      'ordering/lifecycle': 'pass',
      'ordering/accumulation': 'pass',
      'ordering/reply-after-request': 'skip',
      'ordering/broadcast': 'skip',
      'ordering/operations': 'skip',
    });
  });

  it('fails each ordering rule once per connection, with the values and the connection as evidence', async () => {
    const report = await chat([
      { kind: 'step_end', id: 'b', n: 1, agent: 'x', agent_n: 5 },
      { kind: 'hello', n: 2 },
      { kind: 'step_note', id: 'b', n: 4, agent: 'x', agent_n: 5 },
      { kind: 'chunk', text: 'Hel', sofar: 'Hel', n: 5 },
      { kind: 'chunk', text: 'lo', sofar: 'Help', n: 6 },
      { kind: 'done', full: 'Hello!', n: 7 },
    ]);
    const texts = (id: string) => result(report, id).findings.map(({ message, expected, actual, count }) => ({ message, expected, actual, count }));
    expect(texts('handshake/initial-messages')).toEqual([{ message: 'The initial messages at /chat are not in the documented order', expected: 'hello (next: hello)', actual: 'step_end instead', count: 1 }]);
    // Ordering rules hold on every connection: the observation and handshake/upgrade's own.
    expect(texts('ordering/sequence')).toEqual([
      { message: 'n skipped values', expected: '3 after 2', actual: '4 after 2', count: 2 },
      { message: 'agent_n did not increase (per agent)', expected: 'a value greater than 5', actual: '5 after 5 for agent "x"', count: 2 },
    ]);
    expect(result(report, 'ordering/sequence').findings[0].occurrences.map((o) => [o.connection ?? '(observation)', o.frameIndex, o.path]).sort()).toEqual([
      ['(observation)', 2, '$.n'],
      ['handshake/upgrade#1', 2, '$.n'],
    ]);
    expect(texts('ordering/lifecycle')).toEqual([
      { message: 'step: step_end without a step_start before it', expected: 'step_start before step_end with the same key', actual: 'step_end (id = "b") with no start observed', count: 2 },
      { message: 'step: step_note outside its lifecycle', expected: 'step_note only between step_start and step_end', actual: 'step_note (id = "b") after the end', count: 2 },
    ]);
    expect(texts('ordering/accumulation')).toEqual([
      { message: 'answer: sofar is not the running concatenation of text', expected: '"Hello" (the previous sofar + this text)', actual: '"Help"', count: 2 },
      { message: 'answer: done.full differs from the last sofar', expected: '"Help"', actual: '"Hello!"', count: 2 },
    ]);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connect, serve, sleep } from './helpers.js';

const COUNTS: Record<string, number> = { kiwi: 30, clown: 22, coda: 34, aragora: 121, 'aragora-control-plane': 36 };
const BAD_INPUT: [string, string | Buffer][] = [
  ['invalid JSON', '{"type": '],
  ['a JSON array', '[1, 2, 3]'],
  ['a JSON string', '"ping"'],
  ['JSON null', 'null'],
  ['an object without a name', '{"hello": "world"}'],
  ['an unknown name', '{"type": "nope", "action": "nope"}'],
  ['a name of the wrong type', '{"type": 42, "action": 42}'],
  ['a binary frame', Buffer.from([0xff, 0x00, 0x13])],
  ['deeply nested JSON', '['.repeat(5000) + ']'.repeat(5000)],
];

describe('bad input', () => {
  it.each(Object.keys(COUNTS))('never crashes the %s server nor disturbs another client', async (protocol) => {
    const server = await serve({ protocol });
    const bystander = await connect(server.url);
    const attacker = await connect(server.url);
    await attacker.count(COUNTS[protocol]);
    for (const [, payload] of BAD_INPUT) attacker.ws.send(payload);
    for (let i = 0; i < 500; i++) attacker.send({ type: 'flood', i });
    await sleep(100);
    expect(attacker.ws.readyState).toBe(WebSocket.OPEN);
    const frames = await bystander.count(COUNTS[protocol]);
    expect(frames).toHaveLength(COUNTS[protocol]);
    const late = await connect(server.url);
    const names = (fs: any[]) => fs.map((f) => f.type ?? f.event);
    expect(names(await late.count(COUNTS[protocol]))).toEqual(names(frames));
  });

  it('answers bad input to aragora as documented: error for invalid JSON and for a binary frame, nothing for the rest', async () => {
    const server = await serve({ protocol: 'aragora' });
    const client = await connect(server.url);
    await client.count(121);
    for (const [, payload] of BAD_INPUT) client.ws.send(payload);
    // The two answers, however loaded the machine; then a pause in which no other may come.
    await client.count(123);
    await sleep(100);
    const errors = client.frames.slice(121).map((f) => f.data.code);
    expect(errors).toEqual(['invalid_json', 'invalid_json']);
  });

  it('closes an oversized frame with 1009 on every WebSocket protocol', async () => {
    for (const protocol of Object.keys(COUNTS)) {
      const server = await serve({ protocol, maxFrameBytes: 4096 });
      const client = await connect(server.url);
      client.ws.send(Buffer.alloc(8192, 0x20));
      expect((await client.closed).code).toBe(1009);
    }
  });
});

describe('slow consumers', () => {
  it('cuts off a client that stops reading once maxBufferedBytes are buffered, and keeps serving the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsc-slow-'));
    const file = join(dir, 'big.jsonl');
    const blob = 'x'.repeat(16 * 1024);
    const lines = [JSON.stringify({ wsconform: 'fixture', version: 1, protocol: 'kiwi', repeat: 400, repeatGapMs: 0 })];
    for (let i = 0; i < 10; i++) lines.push(JSON.stringify({ at: i, frame: { event: 'LLM_TOKEN', data: { token: blob }, timestamp: '${timestamp}', source: 'llm' } }));
    lines.push(JSON.stringify({ on: 'ping', frame: { event: 'pong' } }));
    writeFileSync(file, lines.join('\n'));
    // 4000 frames of 16 KiB paced over ~3.6 s (about 18 MB/s): a reading client keeps up, even on
    // a loaded machine with 1 MiB of slack; a stalled one cannot (64 MB are sent).
    const server = await serve({ protocol: 'kiwi', fixture: file, speed: 1, maxBufferedBytes: 1024 * 1024 });
    const slow = await connect(server.url);
    slow.ws.pause();
    const fast = await connect(server.url);
    const frames = await fast.count(4000, 30_000);
    expect(frames).toHaveLength(4000);
    slow.ws.resume();
    const closed = await slow.closed;
    expect([1006, 1008]).toContain(closed.code);
    expect(slow.frames.length).toBeLessThan(4000);
    const rss = process.memoryUsage().rss;
    expect(rss).toBeLessThan(1024 * 1024 * 1024);
  });

  it('waits for a stalled client in instant mode without buffering more than the low-water mark', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsc-stall-'));
    const file = join(dir, 'big.jsonl');
    const blob = 'y'.repeat(64 * 1024);
    const lines = [JSON.stringify({ wsconform: 'fixture', version: 1, protocol: 'kiwi', repeat: 200, repeatGapMs: 0 })];
    lines.push(JSON.stringify({ at: 0, frame: { event: 'LLM_TOKEN', data: { token: blob }, timestamp: '${timestamp}', source: 'llm' } }));
    lines.push(JSON.stringify({ on: 'ping', frame: { event: 'pong' } }));
    writeFileSync(file, lines.join('\n'));
    const server = await serve({ protocol: 'kiwi', fixture: file, maxBufferedBytes: 1024 * 1024 });
    const slow = await connect(server.url);
    slow.ws.pause();
    await sleep(300);
    slow.ws.resume();
    const frames = await slow.count(200, 10_000);
    expect(frames).toHaveLength(200);
    expect(slow.ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe('load', () => {
  it('serves a thousand concurrent clients their whole stream', async () => {
    const server = await serve({ protocol: 'kiwi' });
    const clients = await Promise.all(Array.from({ length: 1000 }, () => connect(server.url)));
    const transcripts = await Promise.all(clients.map((c) => c.count(30, 30_000)));
    expect(transcripts.every((t) => t.length === 30)).toBe(true);
    expect(new Set(clients.map((c) => c.frames.map((f) => f.event).join(','))).size).toBe(1);
    expect(new Set(clients.map((c) => c.texts[0])).size).toBe(1);
    for (const c of clients) c.ws.terminate();
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connect, serve, sleep, upgradeStatus } from './helpers.js';

describe('kiwi reference server', () => {
  it('serves the documented address on the requested port and names it in url and urls', async () => {
    const server = await serve({ protocol: 'kiwi' });
    expect(server.protocol).toBe('kiwi');
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}/api/events`);
    expect(server.urls).toEqual([`ws://127.0.0.1:${server.port}/api/events`]);
  });

  it('serves a protocol given as the path of its AsyncAPI document', async () => {
    const server = await serve({ protocol: 'asyncapi/kiwi.yaml', fixture: 'fixtures/kiwi/voice-session.jsonl' });
    expect(server.protocol).toBe('kiwi');
    const client = await connect(server.url);
    expect((await client.count(30))[0].event).toBe('WAKE_WORD_DETECTED');
  });

  it('replays the voice turn from the start to a new client with virtual epoch-seconds timestamps', async () => {
    const server = await serve({ protocol: 'kiwi' });
    const client = await connect(server.url);
    const frames = await client.count(30);
    expect(client.texts[0]).toBe('{"event":"WAKE_WORD_DETECTED","data":{"text":"kiwi"},"timestamp":1709000000,"source":"listener"}');
    expect(frames[1]).toEqual({ event: 'STATE_CHANGED', data: { old: 'IDLE', new: 'LISTENING' }, timestamp: 1709000000.015, source: 'assistant' });
    expect(frames.filter((f) => f.event === 'LLM_TOKEN').map((f) => f.data.token).join('')).toBe('Sure, turning on the lights.');
    expect(frames.find((f) => f.event === 'LLM_COMPLETE').data.text).toBe('Sure, turning on the lights.');
    expect(frames[29]).toEqual({ event: 'STATE_CHANGED', data: { old: 'SPEAKING', new: 'IDLE' }, timestamp: 1709000052.15, source: 'assistant' });
  });

  it('answers {"type":"ping"} with exactly {"event":"pong"}', async () => {
    const server = await serve({ protocol: 'kiwi' });
    const client = await connect(server.url);
    await client.count(30);
    client.send({ type: 'ping' });
    const frames = await client.count(31);
    expect(client.texts[30]).toBe('{"event":"pong"}');
    expect(frames).toHaveLength(31);
  });

  it('answers a WebSocket ping frame with a pong frame carrying the same payload', async () => {
    const server = await serve({ protocol: 'kiwi' });
    const client = await connect(server.url);
    const pong = new Promise<string>((resolve) => client.ws.once('pong', (data) => resolve(data.toString())));
    client.ws.ping('are-you-there');
    expect(await pong).toBe('are-you-there');
  });

  it('answers an upgrade to an undocumented path with HTTP 404', async () => {
    const server = await serve({ protocol: 'kiwi' });
    expect(await upgradeStatus(`ws://127.0.0.1:${server.port}/nope`)).toBe(404);
    expect(await upgradeStatus(`ws://127.0.0.1:${server.port}/`)).toBe(404);
  });

  it('answers a plain HTTP GET on the channel with 426 and elsewhere with 404', async () => {
    const server = await serve({ protocol: 'kiwi' });
    expect((await fetch(`http://127.0.0.1:${server.port}/api/events`)).status).toBe(426);
    expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
  });

  it('runs the document\'s JavaScript ws.onmessage snippet unchanged', async () => {
    const server = await serve({ protocol: 'kiwi' });
    const lines: string[] = [];
    const console = { log: (...args: unknown[]) => lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')) };
    // From the document, "JavaScript Example" (only the URL changed):
    const ws = new WebSocket(server.url);
    ws.onmessage = (event) => {
      const data = JSON.parse(event.data as string);
      console.log(`[${data.event}]`, data.data);
    };
    while (lines.length < 30) await sleep(10);
    ws.close();
    expect(lines[0]).toBe('[WAKE_WORD_DETECTED] {"text":"kiwi"}');
    expect(lines[15]).toBe('[TTS_FINISHED] {}');
  });

  it('closes a client that sends a frame over maxFrameBytes with 1009 and keeps serving others', async () => {
    const server = await serve({ protocol: 'kiwi', maxFrameBytes: 1024 });
    const big = await connect(server.url);
    const other = await connect(server.url);
    await big.count(30);
    big.send('x'.repeat(2048));
    expect((await big.closed).code).toBe(1009);
    other.send({ type: 'ping' });
    expect(await other.waitFor((f) => f.event === 'pong')).toEqual({ event: 'pong' });
  });
});

import { describe, expect, it } from 'vitest';
import { connect, serve } from './helpers.js';

const LOOPS = {
  loops: [
    { loop_id: 'loop_abc123', name: 'Rate limiting design', status: 'running', agents: ['anthropic-api', 'openai-api', 'gemini'] },
    { loop_id: 'loop_nomic7', name: 'Nomic self-improvement cycle 7', status: 'running', agents: ['anthropic-api'] },
  ],
  count: 2,
};

describe('aragora reference server', () => {
  it('serves both documented addresses, /ws first', async () => {
    const server = await serve({ protocol: 'aragora' });
    expect(server.urls).toEqual([`ws://127.0.0.1:${server.port}/ws`, `ws://127.0.0.1:${server.port}/`]);
    expect(server.url).toBe(server.urls[0]);
  });

  it('sends connection_info, loop_list, then one sync per cached loop, on / and /ws alike', async () => {
    const server = await serve({ protocol: 'aragora' });
    for (const url of server.urls) {
      const client = await connect(url);
      const [info, list, sync1, sync2, first] = await client.count(5);
      expect(info).toEqual({ type: 'connection_info', data: { authenticated: false, client_id: expect.stringMatching(/^[0-9a-f]{12}$/), write_access: true } });
      expect(list).toEqual({ type: 'loop_list', data: LOOPS });
      expect([sync1.type, sync1.data.loop_id, sync2.type, sync2.data.loop_id]).toEqual(['sync', 'loop_abc123', 'sync', 'loop_nomic7']);
      expect(first).toEqual({ type: 'loop_register', data: { loop_id: 'loop_abc123', name: 'Rate limiting design' }, timestamp: 1732735053.123, seq: 1, loop_id: 'loop_abc123' });
      client.close();
    }
  });

  it('numbers stream events with seq per connection and agent_seq per agent', async () => {
    const server = await serve({ protocol: 'aragora' });
    const client = await connect(server.url);
    const frames = await client.count(4 + 117);
    const stream = frames.slice(4);
    expect(stream.map((f) => f.seq)).toEqual(stream.map((_, i) => i + 1));
    const anthropic = stream.filter((f) => f.agent === 'anthropic-api').map((f) => f.agent_seq);
    expect(anthropic.slice(0, 6)).toEqual([1, 2, 3, 4, 5, 6]);
    const tokens = stream.filter((f) => f.type.startsWith('token_') && f.agent === 'anthropic-api').map((f) => f.type);
    expect(tokens).toEqual(['token_start', 'token_delta', 'token_delta', 'token_delta', 'token_end']);
    const consensus = stream.find((f) => f.type === 'consensus');
    expect(consensus.data.agent_failures).toEqual({ gemini: [{ phase: 'proposal', error_type: 'timeout', message: 'Agent response was empty', provider: 'google', timestamp: 1732735054.923 }] });
    expect(consensus.timestamp).toBe(1732735085.073);
  });

  it('answers get_loops with loop_list', async () => {
    const server = await serve({ protocol: 'aragora' });
    const client = await connect(server.url);
    await client.count(121);
    client.send({ type: 'get_loops' });
    expect(await client.waitFor((f) => f.type === 'loop_list', 2000, 121)).toEqual({ type: 'loop_list', data: LOOPS });
  });

  it('answers user_vote with ack then audience_metrics holding the connection\'s tally', async () => {
    const server = await serve({ protocol: 'aragora' });
    const client = await connect(server.url);
    await client.count(121);
    client.send({ type: 'user_vote', loop_id: 'loop_abc123', payload: { choice: 'Option A', intensity: 7 } });
    client.send({ type: 'user_suggestion', loop_id: 'loop_abc123', payload: { text: 'Consider a phased rollout for safety.' } });
    client.send({ type: 'user_vote', loop_id: 'loop_abc123', payload: { choice: 'Option A', intensity: 10 } });
    const replies = (await client.count(126)).slice(121);
    expect(replies[0]).toEqual({ type: 'ack', data: { message_type: 'user_vote', loop_id: 'loop_abc123', status: 'accepted' } });
    expect(replies[1]).toMatchObject({ type: 'audience_metrics', data: { votes: { 'Option A': 1 }, weighted_votes: { 'Option A': 1.2 }, suggestions: 0, total: 1, histograms: { 'Option A': { 7: 1 } }, conviction_distribution: { 7: 1 } }, seq: 118, loop_id: 'loop_abc123' });
    expect(replies[2]).toEqual({ type: 'ack', data: { message_type: 'user_suggestion', loop_id: 'loop_abc123', status: 'accepted' } });
    expect(replies[4].data).toEqual({ votes: { 'Option A': 2 }, weighted_votes: { 'Option A': 2.7 }, suggestions: 1, total: 3, histograms: { 'Option A': { 7: 1, 10: 1 } }, conviction_distribution: { 7: 1, 10: 1 } });
  });

  it('answers wisdom_submission with ack', async () => {
    const server = await serve({ protocol: 'aragora' });
    const client = await connect(server.url);
    await client.count(121);
    client.send({ type: 'wisdom_submission', loop_id: 'loop_abc123', text: 'Start with a rollback plan and chaos testing.' });
    expect(await client.waitFor((f) => f.type === 'ack', 2000, 121)).toEqual({ type: 'ack', data: { message_type: 'wisdom_submission', loop_id: 'loop_abc123', status: 'accepted' } });
  });

  it('answers a frame that is not JSON with error and keeps the connection', async () => {
    const server = await serve({ protocol: 'aragora' });
    const client = await connect(server.url);
    await client.count(121);
    client.send('{not json');
    expect(await client.waitFor((f) => f.type === 'error', 2000, 121)).toEqual({ type: 'error', data: { message: 'Invalid JSON', code: 'invalid_json' } });
    client.send({ type: 'get_loops' });
    expect((await client.waitFor((f) => f.type === 'loop_list', 2000, 122)).type).toBe('loop_list');
  });

  it('ignores an unknown message type, as documented, and answers a malformed known one with error', async () => {
    const server = await serve({ protocol: 'aragora' });
    const client = await connect(server.url);
    await client.count(121);
    client.send({ type: 'no_such_message' });
    client.send({ type: 'user_vote', loop_id: 'loop_abc123' });
    expect(await client.waitFor((f) => f.type === 'error', 2000, 121)).toEqual({ type: 'error', data: { message: 'Invalid message format', code: 'invalid_message' } });
    expect(client.frames).toHaveLength(122);
  });

  describe('with a token', () => {
    it('authenticates a Bearer header: connection_info.authenticated and write_access true', async () => {
      const server = await serve({ protocol: 'aragora', token: 's3cret' });
      const client = await connect(server.url, { headers: { Authorization: 'Bearer s3cret' } });
      const [info] = await client.count(1);
      expect(info.data).toMatchObject({ authenticated: true, write_access: true });
    });

    it('authenticates a ?token= query parameter on either address', async () => {
      const server = await serve({ protocol: 'aragora', token: 's3cret' });
      for (const url of server.urls) {
        const client = await connect(`${url}?token=s3cret`);
        const [info] = await client.count(1);
        expect(info.data).toMatchObject({ authenticated: true, write_access: true });
      }
    });

    it('downgrades a client without a token and refuses its writes with error', async () => {
      const server = await serve({ protocol: 'aragora', token: 's3cret' });
      const client = await connect(server.url);
      const [info] = await client.count(121);
      expect(info.data).toMatchObject({ authenticated: false, write_access: false });
      client.send({ type: 'user_vote', loop_id: 'loop_abc123', payload: { choice: 'Option A', intensity: 7 } });
      expect(await client.waitFor((f) => f.type !== 'loop_list', 2000, 121)).toEqual({ type: 'error', data: { message: 'Authentication required for writes', code: 'auth_required' } });
      client.send({ type: 'get_loops' });
      expect((await client.waitFor((f) => f.type === 'loop_list', 2000, 122)).type).toBe('loop_list');
    });

    it('downgrades a client with a wrong token and answers its writes with auth_revoked', async () => {
      const server = await serve({ protocol: 'aragora', token: 's3cret' });
      const client = await connect(server.url, { headers: { Authorization: 'Bearer wrong' } });
      const [info] = await client.count(121);
      expect(info.data).toMatchObject({ authenticated: false, write_access: false });
      client.send({ type: 'user_suggestion', loop_id: 'loop_abc123', payload: { text: 'x' } });
      expect(await client.waitFor((f) => f.type === 'auth_revoked', 2000, 121)).toEqual({ type: 'auth_revoked', data: { message: 'Token is not valid; write access revoked', code: 'token_invalid' } });
    });

    it('never sends the token back', async () => {
      const server = await serve({ protocol: 'aragora', token: 's3cret' });
      const client = await connect(`${server.url}?token=s3cret`);
      await client.count(121);
      client.send({ type: 'user_vote', loop_id: 'loop_abc123', payload: { choice: 'A', intensity: 1 } });
      await client.count(123);
      expect(client.texts.some((t) => t.includes('s3cret'))).toBe(false);
    });
  });
});

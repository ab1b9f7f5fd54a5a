/** Client messages as the runner sends them: shape-named messages, growing ids, the server-ping answer. */
import { describe, expect, it } from 'vitest';
import { named, numberId, outgoing } from '../../src/runner/messages.js';
import { serverPingAnswer } from '../../src/runner/opening.js';
import type { WsconformExtension } from '../../src/spec/extension.js';
import type { Spec } from '../../src/spec/model.js';
import type { Frame } from '../../src/transport/index.js';

const spec = (ext: Partial<WsconformExtension>): Spec =>
  ({ transport: 'websocket', ext: { version: 1, transport: 'websocket', ...ext }, message: () => undefined }) as unknown as Spec;

describe('client messages', () => {
  it('sends a message named by its shape as its payload is, with no name field added', () => {
    const s = spec({ nameField: { send: 'method', receive: 'method' }, identify: { receive: [{ message: 'result', when: { required: ['result'] } }] } });
    expect(named(s, 'receive', 'result', { jsonrpc: '2.0', result: 7, id: 1 })).toEqual({ jsonrpc: '2.0', result: 7, id: 1 });
    expect(named(s, 'send', 'sum', { jsonrpc: '2.0', id: 1 })).toEqual({ method: 'sum', jsonrpc: '2.0', id: 1 });
  });

  it('numbers the id of each message that has one, growing per connection, keeping a larger given id', () => {
    const s = spec({ messageIds: { field: 'id', order: 'increasing' } });
    const last = { id: 0 };
    const sent = [{ type: 'auth', access_token: 't' }, { id: 1, type: 'ping' }, { id: 'wsc-x', type: 'subscribe_events' }, { id: 10, type: 'get_states' }, { id: 3, type: 'ping' }].map((m) => numberId(s, structuredClone(m), last));
    expect(sent).toEqual([{ type: 'auth', access_token: 't' }, { id: 1, type: 'ping' }, { id: 2, type: 'subscribe_events' }, { id: 10, type: 'get_states' }, { id: 11, type: 'ping' }]);
    // A document without the rule: untouched.
    expect(numberId(spec({}), { id: 'a' }, { id: 0 })).toEqual({ id: 'a' });
  });

  it("answers the document's server ping with its pong, carrying the echoed paths back", () => {
    const s = spec({ nameField: { send: 'type', receive: 'type' }, keepalive: { serverAppPing: { ping: 'ping', pong: 'pong', echo: ['payload'] } } });
    const answer = serverPingAnswer(s)!;
    const frame = (message: unknown, name: string) => ({ index: 0, at: 0, dir: 'in', type: 'text', bytes: 0, message, name }) as Frame;
    expect(answer(frame({ type: 'ping', payload: { beat: 1 } }, 'ping'))).toEqual({ type: 'pong', payload: { beat: 1 } });
    expect(answer(frame({ type: 'ping' }, 'ping'))).toEqual({ type: 'pong' });
    expect(answer(frame({ type: 'next' }, 'next'))).toBeUndefined();
    expect(serverPingAnswer(spec({}))).toBeUndefined();
    expect(outgoing(s, 'pong')).toEqual({ type: 'pong' });
  });
});

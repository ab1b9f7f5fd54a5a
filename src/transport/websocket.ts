/** A plain WebSocket connection whose text frames hold JSON messages. */
import { WebSocket } from 'ws';
import { BaseConnection, DEFAULT_MAX_PAYLOAD, withQuery } from './base.js';
import type { ConnectOptions, Frame } from './types.js';

/** Opens a WebSocket connection; the attempt starts at once. */
export class WebSocketConnection extends BaseConnection {
  constructor(options: ConnectOptions) {
    super(options);
    let ws: WebSocket;
    try {
      ws = new WebSocket(withQuery(options.url, options.query), options.protocols ?? [], {
        headers: options.headers,
        handshakeTimeout: options.timeoutMs,
        maxPayload: options.maxPayload ?? DEFAULT_MAX_PAYLOAD,
        perMessageDeflate: false,
        followRedirects: false,
      });
    } catch (err) {
      this.settleOpen({ ok: false, ms: 0, kind: 'error', detail: (err as Error).message });
      this.settleClosed(1006, 'invalid URL');
      return;
    }
    this.attach(ws);
    // ws's handshakeTimeout is an idle timeout: a server that dribbles its answer a byte at a time
    // resets it forever. The whole handshake gets --timeout however the bytes arrive; the detail
    // says whether the server answered at all (ws keeps its request private: read, never changed).
    let answered = false;
    (ws as unknown as { _req?: import('node:http').ClientRequest })._req?.once('socket', (s) => s.once('data', () => (answered = true)));
    // A silent server is ws's own timeout (it fires first); this one catches the dribbling one,
    // and, a moment later, anything ws missed.
    const fail = (detail: string) => this.settleOpen({ ok: false, ms: this.now(), kind: 'timeout', detail });
    let timer = setTimeout(() => {
      if (answered) return fail('the opening handshake did not complete');
      timer = setTimeout(() => fail('no answer to the opening handshake'), 500);
    }, options.timeoutMs + 25);
    void this.opened.then(() => clearTimeout(timer));
    ws.on('open', () => this.settleOpen({ ok: true, ms: this.now(), protocol: ws.protocol }));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        this.record({ dir: 'in', type: 'binary', bytes: data.length, text: data.subarray(0, 64).toString('hex') });
        return;
      }
      this.recordTextIn(data.toString('utf8'), data.length);
    });
  }

  send(message: unknown): Frame | undefined {
    const text = JSON.stringify(message);
    return this.transmit(text, { json: true, message });
  }

  sendText(text: string): Frame | undefined {
    return this.transmit(text, parseJson(text));
  }

}

/** Parses a text frame's JSON: the message, or why it is not JSON. */
export function parseJson(text: string): Pick<Frame, 'json' | 'message' | 'parseError'> {
  try {
    return { json: true, message: JSON.parse(text) };
  } catch (err) {
    return { json: false, parseError: (err as Error).message };
  }
}

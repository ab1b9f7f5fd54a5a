/**
 * A Socket.IO v4 connection spoken directly over WebSocket (Engine.IO v4, websocket transport),
 * so that every Engine.IO packet, heartbeat included, is in the wire log.
 */
import { WebSocket } from 'ws';
import { BaseConnection, DEFAULT_MAX_PAYLOAD, withQuery } from './base.js';
import type { ConnectOptions, Frame, SocketIoInfo } from './types.js';

const ENGINE: SocketIoInfo['engine'][] = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'];
const PACKETS: NonNullable<SocketIoInfo['packet']>[] = ['CONNECT', 'DISCONNECT', 'EVENT', 'ACK', 'CONNECT_ERROR', 'BINARY_EVENT', 'BINARY_ACK'];

/** The Engine.IO URL of a Socket.IO server URL, and the namespace its path names. */
export function engineUrl(url: string): { url: string; namespace: string } {
  const u = new URL(url);
  const protocol = u.protocol === 'https:' || u.protocol === 'wss:' ? 'wss:' : 'ws:';
  const namespace = u.pathname && u.pathname !== '/' ? u.pathname.replace(/\/$/, '') : '/';
  const e = new URL(`${protocol}//${u.host}/socket.io/`);
  for (const [k, v] of u.searchParams) e.searchParams.set(k, v);
  e.searchParams.set('EIO', '4');
  e.searchParams.set('transport', 'websocket');
  return { url: e.toString(), namespace };
}

/** Decodes one Engine.IO packet (and the Socket.IO packet inside a `message`). */
export function decodeEnginePacket(text: string): Pick<Frame, 'sio' | 'message' | 'json' | 'parseError'> {
  const engine = ENGINE[Number(text[0])];
  if (!engine || !/^[0-6]/.test(text)) return { sio: { engine: 'invalid' }, json: false, parseError: 'not an Engine.IO packet' };
  const body = text.slice(1);
  if (engine === 'open') {
    try {
      return { sio: { engine, data: JSON.parse(body) }, json: true };
    } catch (err) {
      return { sio: { engine }, json: false, parseError: (err as Error).message };
    }
  }
  if (engine !== 'message') return { sio: { engine, data: body || undefined } };
  const packet = PACKETS[Number(body[0])];
  if (!packet || !/^[0-6]/.test(body)) return { sio: { engine, packet: undefined }, json: false, parseError: 'not a Socket.IO packet' };
  let i = 1;
  if (packet === 'BINARY_EVENT' || packet === 'BINARY_ACK') {
    const dash = body.indexOf('-', i);
    i = dash < 0 ? body.length : dash + 1;
  }
  let nsp = '/';
  if (body[i] === '/') {
    const comma = body.indexOf(',', i);
    nsp = comma < 0 ? body.slice(i) : body.slice(i, comma);
    i = comma < 0 ? body.length : comma + 1;
  }
  while (i < body.length && /\d/.test(body[i])) i++;
  const rest = body.slice(i);
  const sio: SocketIoInfo = { engine, packet, nsp };
  if (rest === '') return { sio };
  let data: unknown;
  try {
    data = JSON.parse(rest);
  } catch (err) {
    return { sio, json: false, parseError: (err as Error).message };
  }
  if (packet === 'EVENT' || packet === 'BINARY_EVENT') return { sio, json: true, message: data };
  return { sio: { ...sio, data }, json: true };
}

/** Opens a Socket.IO connection: Engine.IO handshake, then CONNECT to the namespace. */
export class SocketIoConnection extends BaseConnection {
  readonly namespace: string;
  private readonly prefix: string;

  constructor(options: ConnectOptions) {
    super(options);
    let target: { url: string; namespace: string };
    try {
      target = engineUrl(options.url);
    } catch (err) {
      this.namespace = '/';
      this.prefix = '';
      this.settleOpen({ ok: false, ms: 0, kind: 'error', detail: (err as Error).message });
      this.settleClosed(1006, 'invalid URL');
      return;
    }
    this.namespace = options.namespace ?? target.namespace;
    this.prefix = this.namespace === '/' ? '' : `${this.namespace},`;
    const ws = new WebSocket(withQuery(target.url, options.query), {
      headers: options.headers,
      handshakeTimeout: options.timeoutMs,
      maxPayload: options.maxPayload ?? DEFAULT_MAX_PAYLOAD,
      perMessageDeflate: false,
      followRedirects: false,
    });
    this.attach(ws);
    let stage: 'upgrade' | 'open' | 'connect' | 'done' = 'upgrade';
    let handshake: Record<string, unknown> | undefined;
    const timer = setTimeout(() => {
      const detail = stage === 'upgrade' ? 'no answer to the opening handshake' : stage === 'open' ? 'no Engine.IO open packet after the upgrade' : `no answer to the CONNECT of namespace ${this.namespace}`;
      this.settleOpen({ ok: false, ms: this.now(), kind: 'timeout', detail });
    }, options.timeoutMs);
    void this.opened.then(() => clearTimeout(timer));
    ws.on('open', () => (stage = 'open'));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        this.record({ dir: 'in', type: 'binary', bytes: data.length, text: data.subarray(0, 64).toString('hex') });
        return;
      }
      const text = data.toString('utf8');
      const decoded = decodeEnginePacket(text);
      this.record({ dir: 'in', type: 'text', bytes: data.length, text, ...decoded });
      const sio = decoded.sio!;
      if (sio.engine === 'ping') this.sendText(`3${typeof sio.data === 'string' ? sio.data : ''}`);
      else if (sio.engine === 'open' && stage === 'open') {
        handshake = sio.data as Record<string, unknown>;
        stage = 'connect';
        this.sendText(`40${this.prefix}${options.auth ? JSON.stringify(options.auth) : ''}`);
      } else if (sio.packet === 'CONNECT' && sio.nsp === this.namespace && stage === 'connect') {
        stage = 'done';
        this.settleOpen({ ok: true, ms: this.now(), handshake });
      } else if (sio.packet === 'CONNECT_ERROR' && sio.nsp === this.namespace && stage === 'connect') {
        stage = 'done';
        const message = (sio.data as { message?: unknown } | undefined)?.message;
        this.settleOpen({ ok: false, ms: this.now(), kind: 'connect-error', detail: `CONNECT_ERROR${message ? `: ${String(message)}` : ''}`, data: sio.data });
      }
    });
  }

  send(message: unknown): Frame | undefined {
    const args = Array.isArray(message) ? message : [message];
    const text = `42${this.prefix}${JSON.stringify(args)}`;
    return this.transmit(text, { json: true, message: args, sio: { engine: 'message', packet: 'EVENT', nsp: this.namespace } });
  }

  sendText(text: string): Frame | undefined {
    return this.transmit(text, decodeEnginePacket(text));
  }
}

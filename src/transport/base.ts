/** The parts every connection shares: the wire log, the open/close promises, waiting for frames. */
import { WebSocket } from 'ws';
import { FrameLog, type LogBounds } from './log.js';
import type { CloseInfo, Connection, ConnectOptions, Frame, FrameTap, OpenResult } from './types.js';

/** The client's default frame limit: larger frames are refused rather than buffered. */
export const DEFAULT_MAX_PAYLOAD = 16 * 1024 * 1024;

type Waiter = (frame: Frame | null) => void;

/** Shared implementation of `Connection` over one `ws` socket. */
export abstract class BaseConnection implements Connection {
  readonly label: string;
  readonly url: string;
  readonly frames = new FrameLog();
  readonly opened: Promise<OpenResult>;
  readonly closed: Promise<CloseInfo>;
  readonly startedAt = performance.now();
  protected ws?: WebSocket;
  protected readonly nameOf?: (message: unknown, direction: 'receive' | 'send') => string | undefined;
  private readonly answer?: (frame: Frame) => unknown;
  private resolveOpened!: (r: OpenResult) => void;
  private resolveClosed!: (c: CloseInfo) => void;
  private openSettled = false;
  private closeInfo?: CloseInfo;
  private clientClosing = false;
  private waiters = new Set<Waiter>();
  private taps: FrameTap[] = [];

  constructor(options: ConnectOptions) {
    this.label = options.label ?? 'connection';
    this.url = options.url;
    this.nameOf = options.nameOf;
    this.answer = options.answer;
    this.opened = new Promise((r) => (this.resolveOpened = r));
    this.closed = new Promise((r) => (this.resolveClosed = r));
  }

  /** Milliseconds since the attempt started. */
  protected now(): number {
    return Math.round((performance.now() - this.startedAt) * 10) / 10;
  }

  /** Appends a frame to the wire log and wakes the waiters. */
  protected record(frame: Omit<Frame, 'index' | 'at'>): Frame {
    const full = { index: this.frames.length, at: this.now(), ...frame } as Frame;
    if (full.message !== undefined && full.name === undefined && this.nameOf) full.name = this.nameOf(full.message, full.dir === 'in' ? 'receive' : 'send');
    return this.push(full);
  }

  /**
   * Records a received text frame: the hot path of a firehose, so the frame is built once, in
   * one shape, with its name read before (no spread copies).
   */
  protected recordTextIn(text: string, bytes: number): Frame {
    let message: unknown;
    let json = true;
    let parseError: string | undefined;
    try {
      message = JSON.parse(text);
    } catch (err) {
      json = false;
      parseError = (err as Error).message;
    }
    const name = json && this.nameOf ? this.nameOf(message, 'receive') : undefined;
    const frame: Frame = { index: this.frames.length, at: this.now(), dir: 'in', type: 'text', text, bytes, message, json, parseError, name };
    return this.push(frame);
  }

  private push(frame: Frame): Frame {
    this.frames.push(frame);
    for (let i = 0; i < this.taps.length; i++) this.taps[i](frame);
    // A waiter that matches removes itself: deleting the current entry of a Set is safe while iterating it.
    if (this.waiters.size) for (const w of this.waiters) w(frame);
    if (this.answer && frame.dir === 'in' && frame.name !== undefined) {
      const reply = this.answer(frame);
      if (reply !== undefined && this.isOpen()) this.send(reply);
    }
    return frame;
  }

  protected settleOpen(result: OpenResult): void {
    if (this.openSettled) return;
    this.openSettled = true;
    this.resolveOpened(result);
    if (!result.ok) this.hardStop();
  }

  protected settleClosed(code: number, reason: string): void {
    if (this.closeInfo) return;
    this.closeInfo = { code, reason, by: this.clientClosing ? 'client' : 'server', ms: this.now() };
    if (!this.openSettled) this.settleOpen({ ok: false, ms: this.now(), kind: 'closed', detail: `the connection closed during the handshake (code ${code})`, code });
    this.resolveClosed(this.closeInfo);
    for (const w of [...this.waiters]) w(null);
  }

  /** Wires the common `ws` events; subclasses handle messages. */
  protected attach(ws: WebSocket): void {
    this.ws = ws;
    ws.on('error', (err: Error & { code?: string }) => {
      if (!this.openSettled) {
        this.settleOpen(openFailure(err, this.now()));
        return;
      }
      // On a protocol error (e.g. a frame over its limit) the client gives up and closes.
      if (err.code?.startsWith('WS_ERR_')) this.clientClosing = true;
      this.record({ dir: 'in', type: 'error', bytes: 0, reason: describeWsError(err) });
    });
    ws.on('ping', (data: Buffer) => {
      this.record({ dir: 'in', type: 'ping', bytes: data.length, payload: data.toString('utf8') });
      // ws answers pings by itself (autoPong); the log says so.
      this.record({ dir: 'out', type: 'pong', bytes: data.length, payload: data.toString('utf8') });
    });
    ws.on('pong', (data: Buffer) => this.record({ dir: 'in', type: 'pong', bytes: data.length, payload: data.toString('utf8') }));
    ws.on('close', (code: number, reason: Buffer) => {
      if (!(this.clientClosing && code === 1006)) this.record({ dir: 'in', type: 'close', bytes: reason.length + 2, code, reason: reason.toString('utf8') });
      this.settleClosed(code, reason.toString('utf8'));
    });
  }

  tap(listener: FrameTap): () => void {
    this.taps = [...this.taps, listener];
    return () => (this.taps = this.taps.filter((t) => t !== listener));
  }

  boundLog(bounds: LogBounds): void {
    this.frames.bound(bounds);
  }

  pin(index: number, radius = 0): void {
    this.frames.pin(index, radius);
  }

  isOpen(): boolean {
    return !this.closeInfo && this.ws?.readyState === WebSocket.OPEN;
  }

  /** Sends a text frame and logs it with the given details. */
  protected transmit(text: string, details: Partial<Frame> = {}): Frame | undefined {
    if (!this.isOpen()) return undefined;
    this.ws!.send(text);
    return this.record({ dir: 'out', type: 'text', text, bytes: Buffer.byteLength(text), ...details });
  }

  abstract send(message: unknown): Frame | undefined;
  abstract sendText(text: string): Frame | undefined;

  ping(payload: string): Frame | undefined {
    if (!this.isOpen()) return undefined;
    this.ws!.ping(Buffer.from(payload, 'utf8'));
    return this.record({ dir: 'out', type: 'ping', bytes: Buffer.byteLength(payload), payload });
  }

  waitFor(match: (frame: Frame) => boolean, timeoutMs: number, from = 0): Promise<Frame | null> {
    const held = this.frames.find(match, from);
    if (held) return Promise.resolve(held);
    if (this.closeInfo) return Promise.resolve(null);
    return new Promise((resolve) => {
      const done = (f: Frame | null) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(f);
      };
      const waiter: Waiter = (f) => {
        if (f === null) done(null);
        else if (f.index >= from && match(f)) done(f);
      };
      const timer = setTimeout(() => done(null), Math.max(0, timeoutMs));
      this.waiters.add(waiter);
    });
  }

  close(): Promise<CloseInfo> {
    if (this.closeInfo) return this.closed;
    const ws = this.ws;
    if (!ws) {
      this.settleClosed(1006, 'never connected');
      return this.closed;
    }
    if (ws.readyState === WebSocket.OPEN) {
      this.clientClosing = true;
      this.record({ dir: 'out', type: 'close', bytes: 2, code: 1000, reason: '' });
      try {
        ws.close(1000);
      } catch {
        ws.terminate();
      }
    } else if (ws.readyState === WebSocket.CONNECTING) {
      this.clientClosing = true;
      this.hardStop();
      return this.closed;
    }
    // Open, or already closing (the server's close is in flight): give the handshake a moment.
    const timer = setTimeout(() => this.hardStop(), 250);
    void this.closed.then(() => clearTimeout(timer));
    return this.closed;
  }

  /** Stops the socket at once (no close handshake). */
  protected hardStop(): void {
    const ws = this.ws;
    if (!ws) return;
    try {
      ws.terminate();
    } catch {
      /* already gone */
    }
  }
}

function openFailure(err: Error & { code?: string }, ms: number): OpenResult {
  const status = /Unexpected server response: (\d+)/.exec(err.message)?.[1];
  if (status) return { ok: false, ms, kind: 'http', status: Number(status), detail: `the upgrade was answered with HTTP ${status}` };
  if (err.code === 'ECONNREFUSED') return { ok: false, ms, kind: 'refused', detail: 'connection refused' };
  if (err.code === 'ENOTFOUND' || err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH' || err.code === 'EAI_AGAIN') {
    return { ok: false, ms, kind: 'unreachable', detail: `the host is unreachable (${err.code})` };
  }
  if (/handshake has timed out/i.test(err.message)) return { ok: false, ms, kind: 'timeout', detail: 'no answer to the opening handshake' };
  if (err.code === 'ECONNRESET' || /socket hang up/i.test(err.message)) return { ok: false, ms, kind: 'closed', detail: 'the server closed the TCP connection during the handshake' };
  return { ok: false, ms, kind: 'error', detail: err.message };
}

function describeWsError(err: Error & { code?: string }): string {
  if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return `a frame larger than the client's limit (${err.message})`;
  return err.code ? `${err.code}: ${err.message}` : err.message;
}

/** Adds query parameters to a URL. */
export function withQuery(url: string, query: Record<string, string> | undefined): string {
  if (!query || !Object.keys(query).length) return url;
  const u = new URL(url);
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
  return u.toString();
}

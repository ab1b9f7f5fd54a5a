/**
 * Bounded concurrency and rate limits: every connection of a run waits for one of
 * `--max-connections` slots, so a server that limits connections per client address never sees
 * more at once. A server that says "try later" (HTTP 429 on the upgrade) is retried with backoff;
 * one that closes with 1013 (Try Again Later) or 4029 (too many requests) marks the connection
 * rate-limited, and the runner reports the checks that used it as `error`, never as a failure.
 */
import { EMPTY_LOG, type FrameView, type LogBounds } from '../transport/log.js';
import type { CloseInfo, Connection, Frame, FrameTap, OpenResult } from '../transport/types.js';

/** Close codes that mean "too many connections, try later" (RFC 6455 §7.4.1 1013; 4029 by convention, after HTTP 429). */
export const TRY_LATER_CODES = new Set([1013, 4029]);

/** Retries of an upgrade answered with HTTP 429, and the first backoff in ms (doubling). */
const RETRIES = 3;
const BACKOFF_MS = 250;
/** How long after a close its slot comes free. */
const RELEASE_LAG_MS = 100;

/** A counting semaphore, first come first served. */
export class Slots {
  private free: number;
  private readonly queue: (() => void)[] = [];
  constructor(readonly size: number) {
    this.free = size;
  }

  /** Resolves with the release function once a slot is free. */
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        this.free--;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.free++;
          this.queue.shift()?.();
        });
      };
      if (this.free > 0) grant();
      else this.queue.push(grant);
    });
  }
}

/**
 * A connection that opens once a slot is free, retries an upgrade answered with HTTP 429, and
 * rewrites every message it sends with `personalize` (per-connection values). Until it opens it
 * has no frames and sends nothing.
 */
export class PooledConnection implements Connection {
  readonly opened: Promise<OpenResult>;
  readonly closed: Promise<CloseInfo>;
  /** Why the server refused this connection for now (HTTP 429, close 1013/4029), if it did. */
  rateLimited?: string;
  private inner?: Connection;
  private cancelled = false;
  private readonly created = performance.now();
  /** Taps and bounds given before the connection exists: each attempt gets them. */
  private taps: FrameTap[] = [];
  private bounds?: LogBounds;
  private resolveClosed!: (c: CloseInfo) => void;

  constructor(
    readonly label: string,
    readonly url: string,
    open: () => Connection,
    slots: Slots | undefined,
    private readonly personalize: (message: unknown) => unknown,
    sleep: (ms: number) => Promise<void>,
    /** Why not to try at all (the server answers no connection), checked once a slot is free. */
    hopeless: () => string | undefined = () => undefined,
    /** Whether the observation connection got no answer either (awaited after a timeout). */
    observationUnanswered: () => Promise<boolean> = async () => false,
    /** The document's opening, performed once the transport is open: its failure, if it failed. */
    afterOpen?: (conn: Connection) => Promise<Extract<OpenResult, { ok: false }> | undefined>,
  ) {
    this.closed = new Promise((r) => (this.resolveClosed = r));
    this.opened = (async (): Promise<OpenResult> => {
      for (let attempt = 0; ; attempt++) {
        const release = slots ? await slots.acquire() : () => undefined;
        if (this.cancelled) {
          release();
          return { ok: false, ms: 0, kind: 'closed', detail: 'closed by the kit before it opened' };
        }
        const why = hopeless();
        if (why) {
          release();
          this.resolveClosed({ code: 1005, reason: 'not tried', by: 'client', ms: 0 });
          return { ok: false, ms: 0, kind: 'not-tried', detail: why };
        }
        const conn = open();
        conn.tap((f) => {
          for (const t of this.taps) t(f);
        });
        if (this.bounds) conn.boundLog(this.bounds);
        this.inner = conn;
        let result = await conn.opened;
        if (result.ok && afterOpen) {
          const failed = await afterOpen(conn);
          if (failed) {
            if (conn.isOpen()) void conn.close();
            result = failed;
          }
        }
        if (!result.ok && result.kind === 'timeout' && (await observationUnanswered())) result = { ...result, observationUnanswered: true };
        if (!result.ok && result.kind === 'http' && result.status === 429 && attempt < RETRIES && !this.cancelled) {
          await conn.closed;
          release();
          await sleep(BACKOFF_MS * 2 ** attempt);
          continue;
        }
        if (!result.ok && result.kind === 'http' && result.status === 429) this.rateLimited = `the upgrade was answered with HTTP 429 ${RETRIES + 1} times`;
        void conn.closed.then((c) => {
          if (c.by === 'server' && TRY_LATER_CODES.has(c.code)) this.rateLimited = `the server closed the connection with ${c.code}${c.reason ? ` (${JSON.stringify(c.reason)})` : ''}: try again later`;
          // A server counts a connection until it has seen the close: the slot comes free a
          // moment later, so the next connection never makes one too many.
          setTimeout(release, RELEASE_LAG_MS).unref?.();
          this.resolveClosed(c);
        });
        return result;
      }
    })();
  }

  get startedAt(): number {
    return this.inner?.startedAt ?? this.created;
  }

  get frames(): FrameView {
    return this.inner?.frames ?? EMPTY_LOG;
  }

  tap(listener: FrameTap): () => void {
    this.taps = [...this.taps, listener];
    return () => (this.taps = this.taps.filter((t) => t !== listener));
  }

  boundLog(bounds: LogBounds): void {
    this.bounds = bounds;
    this.inner?.boundLog(bounds);
  }

  pin(index: number, radius?: number): void {
    this.inner?.pin(index, radius);
  }

  isOpen(): boolean {
    return this.inner?.isOpen() ?? false;
  }

  send(message: unknown): Frame | undefined {
    return this.inner?.send(this.personalize(message));
  }

  sendText(text: string): Frame | undefined {
    return this.inner?.sendText(text);
  }

  ping(payload: string): Frame | undefined {
    return this.inner?.ping(payload);
  }

  async waitFor(match: (frame: Frame) => boolean, timeoutMs: number, from?: number): Promise<Frame | null> {
    if (!this.inner) {
      // Not open yet: the wait starts once the connection exists (the budget is the caller's).
      const t0 = performance.now();
      await this.opened;
      const inner = this.inner as Connection | undefined;
      if (!inner) return null;
      return inner.waitFor(match, Math.max(0, timeoutMs - (performance.now() - t0)), from);
    }
    return this.inner.waitFor(match, timeoutMs, from);
  }

  async close(): Promise<CloseInfo> {
    if (!this.inner) {
      this.cancelled = true;
      const info: CloseInfo = { code: 1005, reason: 'never opened', by: 'client', ms: 0 };
      this.resolveClosed(info);
      await this.opened;
      if (!this.inner) return info;
    }
    // Wait for the attempt in flight so that no socket outlives the run.
    await this.opened;
    return this.inner!.close();
  }
}

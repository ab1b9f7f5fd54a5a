/**
 * The send side of one connection: a transport-neutral wire, backpressure (wait until the client
 * has read what was sent) and the slow-consumer bound (cut the client off once more than
 * `maxBufferedBytes` wait to be sent, rather than buffering without limit).
 */

/** What a transport gives the outbox. */
export interface Wire {
  /** Whether frames can still be sent. */
  readonly open: boolean;
  /** Sends one message (a JSON value); `flushed` runs once it has left the process. */
  send(frame: unknown, flushed: () => void): void;
  /** Bytes queued in the process and not yet written to the network. */
  bufferedAmount(): number;
  /** Starts a clean close with a code (WebSocket) or a disconnect (Socket.IO). */
  close(code: number, reason: string): void;
  /** Drops the connection at once. */
  terminate(): void;
}

/** Sends frames on a wire, with a bound on buffered bytes. */
export class Outbox {
  private waiters: { lowWater: number; resolve: () => void }[] = [];
  private poll?: NodeJS.Timeout;
  private overflowed = false;

  constructor(
    private readonly wire: Wire,
    private readonly maxBufferedBytes: number,
    private readonly onOverflow: (buffered: number) => void,
  ) {}

  /** Whether the wire is open and the client has not been cut off. */
  get open(): boolean {
    return this.wire.open && !this.overflowed;
  }

  /** Bytes waiting to be sent. */
  get buffered(): number {
    return this.wire.bufferedAmount();
  }

  /** Sends now; cuts the client off when the buffer passes the bound. */
  send(frame: unknown): void {
    if (!this.open) return;
    this.wire.send(frame, this.flushed);
    const buffered = this.wire.bufferedAmount();
    if (buffered > this.maxBufferedBytes) {
      this.overflowed = true;
      this.release();
      this.onOverflow(buffered);
    }
  }

  /** Resolves once at most `lowWater` bytes wait to be sent (or the connection is gone). */
  drained(lowWater: number): Promise<void> {
    if (!this.open || this.wire.bufferedAmount() <= lowWater) return Promise.resolve();
    // Send callbacks wake the waiters; a slow poll covers wires without them (Socket.IO).
    if (!this.poll) {
      this.poll = setInterval(this.flushed, 25);
      this.poll.unref();
    }
    return new Promise((resolve) => this.waiters.push({ lowWater, resolve }));
  }

  /** Wakes every waiter (the connection closed). */
  release(): void {
    this.stopPoll();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve();
  }

  private readonly flushed = (): void => {
    if (!this.waiters.length) return;
    if (!this.open) return this.release();
    const buffered = this.wire.bufferedAmount();
    const still: typeof this.waiters = [];
    for (const w of this.waiters) (buffered <= w.lowWater ? w.resolve() : still.push(w));
    this.waiters = still;
    if (!still.length) this.stopPoll();
  };

  private stopPoll(): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
  }
}

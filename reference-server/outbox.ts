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
  /**
   * Serialises a message without sending it, so the outbox can check the slow-consumer bound
   * against its exact size first. Wires that cannot tell the size (Socket.IO) leave it out.
   */
  encode?(frame: unknown): { bytes: number; send(flushed: () => void): void };
  /** Holds writes until `uncork`, so that a burst of frames leaves in one system call. */
  cork?(): void;
  uncork?(): void;
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
  private corked = false;

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

  /**
   * Sends now. A frame that would take the buffer past the bound is not sent: the client is cut
   * off instead, so the buffer never exceeds `maxBufferedBytes` (on wires that can measure a
   * frame first; on the others, the check follows the send).
   */
  send(frame: unknown): void {
    if (!this.open) return;
    const encoded = this.wire.encode?.(frame);
    if (encoded) {
      let buffered = this.wire.bufferedAmount();
      if (buffered + encoded.bytes > this.maxBufferedBytes && this.corked) {
        // What we hold corked counts as buffered: flush it first, so that only a client that
        // really does not read is judged slow.
        this.uncork();
        buffered = this.wire.bufferedAmount();
      }
      if (buffered + encoded.bytes > this.maxBufferedBytes) return this.overflow(buffered + encoded.bytes);
      encoded.send(this.flushed);
      return;
    }
    this.wire.send(frame, this.flushed);
    const buffered = this.wire.bufferedAmount();
    if (buffered > this.maxBufferedBytes) this.overflow(buffered);
  }

  /** Holds the following sends until `uncork` (one write for a burst); idempotent. */
  cork(): void {
    if (this.corked || !this.wire.cork) return;
    this.corked = true;
    this.wire.cork();
  }

  /** Releases what `cork` held; idempotent. */
  uncork(): void {
    if (!this.corked) return;
    this.corked = false;
    this.wire.uncork?.();
  }

  private overflow(bytes: number): void {
    this.overflowed = true;
    this.release();
    this.onOverflow(bytes);
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

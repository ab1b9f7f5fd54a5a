/** The open connections of one server, and who a script line's `to` reaches. */
import type { Connection } from './connection.js';
import type { Target } from './fixture.js';

/** The set of open connections. */
export class Hub {
  private readonly conns = new Set<Connection>();
  private ordinal = 0;
  /** Set by the crash-on-* faults: the server has "crashed" and serves no one any more. */
  crashed = false;

  /** Simulates a crash (the crash-on-* faults): drops every connection and refuses new ones. */
  crash(): void {
    this.crashed = true;
    for (const conn of this.all()) conn.terminate();
  }

  /** The next connection ordinal (1, 2, ...): seeds the connection's ids. */
  nextOrdinal(): number {
    return ++this.ordinal;
  }

  add(conn: Connection): void {
    this.conns.add(conn);
  }

  delete(conn: Connection): void {
    this.conns.delete(conn);
  }

  /** Every open connection. */
  all(): Connection[] {
    return [...this.conns];
  }

  get size(): number {
    return this.conns.size;
  }

  /**
   * The connections a line addressed `to` reaches from `from`: `self`; `others` (every other);
   * `all`; `room` (the others in the same room, e.g. a chat session); `monitors` (connections
   * subscribed to the privileged feed; everyone under the `leak-monitoring` fault).
   */
  targets(from: Connection, to: Target, leak = false): Connection[] {
    switch (to) {
      case 'self':
        return [from];
      case 'others':
        return this.all().filter((c) => c !== from);
      case 'all':
        return this.all();
      case 'room':
        return from.room === undefined ? [] : this.all().filter((c) => c !== from && c.room === from.room);
      case 'monitors':
        return this.all().filter((c) => c.monitoring || leak);
    }
  }
}

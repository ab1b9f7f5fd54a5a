// Aragora, "Initial Messages": "On connection, the server sends: `connection_info` (auth and client
// metadata), `loop_list` (active loops/debates), `sync` for each cached loop state".
// Control plane, "Connection Flow": "On connection, the server sends a `connected` event".
import { at, defineCheck, initialMessagesFor, skip, verdictOf, basisOf, distinctBases } from '../../src/runner/index.js';
import type { Findings as FindingsT, Received } from '../../src/runner/index.js';
import type { InitialMessage } from '../../src/spec/extension.js';
import { received, watchObserved } from '../expect/index.js';

/** The most matched initial messages kept for the lateness judgement (a server may send many `count: any` ones). */
const MAX_KEPT = 1000;

/**
 * Judges the first messages of a connection against the documented initial messages, one by
 * one as they arrive (`next`), until the documented ones are over; `end` adds what is late or
 * missing once the connection's open time is known.
 */
export class InitialMessages {
  private i = 0;
  private done = false;
  private seen = 0;
  private readonly matched: { entry: InitialMessage; m: Received }[] = [];
  private readonly order: string;

  constructor(
    private readonly findings: FindingsT,
    private readonly entries: InitialMessage[],
    private readonly address: string,
  ) {
    this.order = entries.map((e) => e.message).join(', then ');
  }

  next(m: Received): void {
    if (this.done) return;
    this.seen++;
    const { entries } = this;
    while (this.i < entries.length && entries[this.i].message !== m.name && entries[this.i].count === 'any') this.i++;
    if (this.i >= entries.length) {
      this.done = true;
      return;
    }
    const entry = entries[this.i];
    if (entry.message === m.name) {
      if (this.matched.length < MAX_KEPT) this.matched.push({ entry, m });
      if ((entry.count ?? 'one') === 'one') this.i++;
      return;
    }
    this.findings.add(`order:${this.address}`, { message: `The initial messages at ${this.address} are not in the documented order`, expected: `${this.order} (next: ${entry.message})`, actual: `${m.name ?? 'an unnamed message'} instead` }, at(m.frame));
    this.done = true;
    this.i = -1;
  }

  /** The late and the missing ones: `openedMs` is when the connection opened, `open` whether it still is. */
  end(openedMs: number, timeoutMs: number, open: boolean): void {
    for (const { entry, m } of this.matched) {
      if (m.frame.at - openedMs > timeoutMs) {
        this.findings.add(`late:${this.address}:${entry.message}`, { message: `${entry.message} came late at ${this.address}`, expected: `${entry.message} within ${timeoutMs} ms of the connection`, actual: `after ${Math.round(m.frame.at - openedMs)} ms` }, at(m.frame));
      }
    }
    if (this.i < 0) return;
    for (const entry of this.entries.slice(this.i)) {
      if ((entry.count ?? 'one') !== 'one') continue;
      this.findings.add(`missing:${this.address}:${entry.message}`, { message: `${entry.message} was not sent on connection at ${this.address}`, expected: `${entry.message} within ${timeoutMs} ms of the connection`, actual: open || this.seen ? `${this.seen} message(s), none of them ${entry.message}` : 'the connection closed first' });
    }
  }
}

export default defineCheck({
  id: 'handshake/initial-messages',
  category: 'handshake',
  level: 'MUST',
  description: 'Reads the first messages of a new connection',
  requirement: 'The documented initial messages arrive in the documented order within the timeout; `count: any` entries may repeat or be absent.',
  basis: (spec) => distinctBases((spec.ext.initialMessages ?? []).map((m, i) => basisOf(m, `x-wsconform.initialMessages[${i}]`))),
  appliesTo: (spec) => (spec.ext.initialMessages?.length ? true : 'the document lists no initial messages'),
  async run(ctx) {
    const findings = ctx.findings();
    const primaryEntries = initialMessagesFor(ctx.spec, ctx.primary.address);
    const primary = new InitialMessages(findings, primaryEntries, ctx.primary.address);
    const o = await watchObserved(ctx, (_, messages) => {
      for (const m of messages) primary.next(m);
    });
    if (!o.ok) return o.outcome;
    let judged = 0;
    if (primaryEntries.length) {
      const opened = await o.obs.conn.opened;
      primary.end(opened.ok ? opened.ms : 0, ctx.settings.timeoutMs, o.obs.conn.isOpen());
      judged++;
    }
    await Promise.all(
      ctx.channels
        .filter((c) => c.address !== ctx.primary.address && initialMessagesFor(ctx.spec, c.address).length)
        .map(async (c) => {
          const entries = initialMessagesFor(ctx.spec, c.address);
          const conn = ctx.connect({ address: c.address });
          const r = await conn.opened;
          if (!r.ok) return;
          const needed = new Set(entries.filter((e) => (e.count ?? 'one') === 'one').map((e) => e.message));
          const names = new Set(entries.map((e) => e.message));
          const trailingAny = entries[entries.length - 1].count === 'any';
          await conn.waitFor((f) => {
            if (f.dir !== 'in' || f.name === undefined) return false;
            needed.delete(f.name);
            return !names.has(f.name) || (needed.size === 0 && !trailingAny);
          }, ctx.settings.timeoutMs);
          const judge = new InitialMessages(findings, entries, c.address);
          for (const m of received(ctx.spec, conn)) judge.next(m);
          judge.end(r.ms, ctx.settings.timeoutMs, conn.isOpen());
          await conn.close();
          judged++;
        }),
    );
    if (!judged) return skip('no channel with documented initial messages could be opened');
    return verdictOf(findings.list());
  },
});

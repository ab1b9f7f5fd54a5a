// Aragora, "Initial Messages": "On connection, the server sends: `connection_info` (auth and client
// metadata), `loop_list` (active loops/debates), `sync` for each cached loop state".
// Control plane, "Connection Flow": "On connection, the server sends a `connected` event".
import { Findings, at, defineCheck, initialMessagesFor, skip, verdictOf, basisOf, distinctBases } from '../../src/runner/index.js';
import type { CheckContext, Findings as FindingsT } from '../../src/runner/index.js';
import type { InitialMessage } from '../../src/spec/extension.js';
import type { Connection } from '../../src/transport/index.js';
import { observed, received } from '../expect/index.js';

/** Judges the first messages of a connection against the documented initial messages. */
export function judgeInitial(findings: FindingsT, ctx: CheckContext, conn: Connection, openedMs: number, entries: InitialMessage[], address: string): void {
  const { timeoutMs } = ctx.settings;
  const messages = received(ctx.spec, conn);
  const order = entries.map((e) => e.message).join(', then ');
  let i = 0;
  for (const m of messages) {
    while (i < entries.length && entries[i].message !== m.name && entries[i].count === 'any') i++;
    if (i >= entries.length) break;
    const entry = entries[i];
    if (entry.message === m.name) {
      if (m.frame.at - openedMs > timeoutMs) {
        findings.add(`late:${address}:${entry.message}`, { message: `${entry.message} came late at ${address}`, expected: `${entry.message} within ${timeoutMs} ms of the connection`, actual: `after ${Math.round(m.frame.at - openedMs)} ms` }, at(m.frame));
      }
      if ((entry.count ?? 'one') === 'one') i++;
      continue;
    }
    findings.add(`order:${address}`, { message: `The initial messages at ${address} are not in the documented order`, expected: `${order} (next: ${entry.message})`, actual: `${m.name ?? 'an unnamed message'} instead` }, at(m.frame));
    return;
  }
  for (const entry of entries.slice(i)) {
    if ((entry.count ?? 'one') !== 'one') continue;
    findings.add(`missing:${address}:${entry.message}`, { message: `${entry.message} was not sent on connection at ${address}`, expected: `${entry.message} within ${timeoutMs} ms of the connection`, actual: conn.isOpen() || messages.length ? `${messages.length} message(s), none of them ${entry.message}` : 'the connection closed first' });
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
    const findings = new Findings();
    const o = await observed(ctx);
    if (!o.ok) return o.outcome;
    const primaryEntries = initialMessagesFor(ctx.spec, ctx.primary.address);
    let judged = 0;
    if (primaryEntries.length) {
      const opened = await o.obs.conn.opened;
      judgeInitial(findings, ctx, o.obs.conn, opened.ok ? opened.ms : 0, primaryEntries, ctx.primary.address);
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
          judgeInitial(findings, ctx, conn, r.ms, entries, c.address);
          await conn.close();
          judged++;
        }),
    );
    if (!judged) return skip('no channel with documented initial messages could be opened');
    return verdictOf(findings.list());
  },
});

// The close codes a document requires per violation, each provoked on a connection of its own.
// graphql-transport-ws: "if the connection is not acknowledged, the socket will be closed
// immediately with the event `4401: Unauthorized`"; "the server will close the socket with the
// event: `4408: Connection initialisation timeout`"; "`4429: Too many initialisation requests`";
// "`4409: Subscriber for <unique-operation-id> already exists`".
import { Findings, at, basisOf, defineCheck, openingMessage, skip, verdictOf } from '../../src/runner/index.js';
import type { CheckContext, Finding, Outcome } from '../../src/runner/index.js';
import type { CloseCodeRule } from '../../src/spec/extension.js';
import { describeClose, lastFrame, openOrSkip, operationId, startOperation } from '../expect/index.js';
import type { Connection } from '../../src/transport/index.js';

const WHAT: Record<CloseCodeRule['violation'], string> = {
  'before-opening': 'an operation started before the opening completed',
  'no-opening': 'no opening sent',
  'second-opening': 'the opening sent a second time',
  'duplicate-id': 'an operation started with the id of one still running',
};

const whyNot = (o: Outcome): string => ('reason' in o && o.reason) || 'could not connect';

/** Provokes one violation; the connection to watch, or why it could not be provoked. */
async function provoke(ctx: CheckContext, rule: CloseCodeRule): Promise<Connection | string> {
  const ops = ctx.spec.ext.operations ?? [];
  const op = ops.find((o) => o.ends === false) ?? ops[0];
  const steps = ctx.spec.ext.opening?.steps ?? [];
  if ((rule.violation === 'before-opening' || rule.violation === 'duplicate-id') && !op) return 'the document has no operation to start';
  if (rule.violation === 'second-opening' && !steps.length) return 'the document has no opening';
  const withOpening = rule.violation === 'second-opening' || rule.violation === 'duplicate-id';
  const conn = ctx.connect({ opening: withOpening });
  const open = await openOrSkip(conn, ctx);
  if (!open.ok) return whyNot(open.outcome);
  switch (rule.violation) {
    case 'before-opening':
      startOperation(ctx, conn, op!);
      break;
    case 'second-opening':
      conn.send(openingMessage(ctx.spec, steps[0], 1));
      break;
    case 'duplicate-id': {
      const id = operationId(op!);
      const first = startOperation(ctx, conn, op!, id);
      // The second start only once the first one is known to be running (its first message).
      if (first) await conn.waitFor((f) => f.dir === 'in' && f.index > first.sent.index, ctx.settings.timeoutMs, first.sent.index + 1);
      if (conn.isOpen()) startOperation(ctx, conn, op!, id);
      break;
    }
    case 'no-opening':
      break;
  }
  return conn;
}

export default defineCheck({
  id: 'robustness/close-codes',
  category: 'robustness',
  level: 'MUST',
  description: 'Provokes each violation the document gives a close code for',
  requirement: 'For each violation the document lists (an operation before the opening, no opening, a second opening, a duplicate operation id), the server closes the connection with the documented code.',
  basis: (spec) => (spec.ext.closeCodes ?? []).map((r, i) => basisOf(r, `x-wsconform.closeCodes[${i}]`)),
  appliesTo: (spec) => (spec.transport !== 'websocket' ? 'close codes are WebSocket close frames' : spec.ext.closeCodes?.length ? true : 'the document lists no close codes'),
  budgetMs: (ctx) => ctx.settings.observeMs + 4 * ctx.settings.timeoutMs + 2000 + (ctx.spec.ext.opening?.serverTimeoutMs ?? 0),
  async run(ctx) {
    const findings = new Findings();
    const reasons: string[] = [];
    const judged = await Promise.all(
      ctx.spec.ext.closeCodes!.map(async (rule, i) => {
        const basis = basisOf(rule, `x-wsconform.closeCodes[${i}]`);
        const conn = await provoke(ctx, rule);
        if (typeof conn === 'string') {
          reasons.push(`${rule.violation}: ${conn}`);
          return false;
        }
        const wait = ctx.settings.timeoutMs + (rule.violation === 'no-opening' ? (ctx.spec.ext.opening?.serverTimeoutMs ?? 0) : 0);
        const closed = await Promise.race([conn.closed, ctx.sleep(wait).then(() => undefined)]);
        const expected = `a close with code ${rule.code} within ${wait} ms`;
        const f = (message: string, actual: string): Omit<Finding, 'count' | 'occurrences'> => ({ message, expected, actual, basis });
        if (!closed || closed.by !== 'server') findings.add(`open:${rule.violation}`, f(`The server did not close the connection after ${WHAT[rule.violation]}`, `still open after ${wait} ms`), at(lastFrame(conn)));
        else if (closed.code !== rule.code) findings.add(`code:${rule.violation}`, f(`The server closed the connection after ${WHAT[rule.violation]} with another code`, describeClose(closed)), at(lastFrame(conn)));
        await conn.close();
        return true;
      }),
    );
    if (!judged.includes(true)) return skip(`no violation could be provoked (${reasons.join('; ')})`);
    return verdictOf(findings.list());
  },
});

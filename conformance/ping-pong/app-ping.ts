// Kiwi, "Client Commands": "{"type": "ping"} … Response: {"event": "pong"} … Use this to keep the
// connection alive or check connectivity." Control plane: "Server responds with: { "type": "pong",
// "timestamp": 1732735053.123 }".
import { isDeepStrictEqual } from 'node:util';
import { Findings, at, defineCheck, fieldAt, hasField, outgoing, payloadOf, verdictOf, basisOf } from '../../src/runner/index.js';
import { preview } from '../../src/spec/validator.js';
import { closedNow, pongFieldsOf, describeAbsence, lastFrame, openOrSkip, waitForMessage } from '../expect/index.js';

export default defineCheck({
  id: 'ping-pong/app-ping',
  category: 'ping-pong',
  level: 'MUST',
  description: 'Sends the documented application ping',
  requirement: 'The server answers the documented ping with the documented pong within the timeout, carrying the documented pong fields and, where the document says so, the ping\'s echoed fields.',
  basis: (spec) => {
    const rule = spec.ext.keepalive?.appPing;
    return [basisOf(rule, 'x-wsconform.keepalive.appPing'), ...(rule?.echo?.length && rule.echoBasis ? [rule.echoBasis] : [])];
  },
  appliesTo: (spec) => (spec.ext.keepalive?.appPing ? true : 'the document has no application ping'),
  async run(ctx) {
    const rule = ctx.spec.ext.keepalive!.appPing!;
    const conn = ctx.connect();
    const open = await openOrSkip(conn, ctx);
    if (!open.ok) return open.outcome;
    const findings = new Findings();
    const sent = conn.send(outgoing(ctx.spec, rule.ping, rule.payload));
    const from = sent ? sent.index + 1 : conn.frames.length;
    const pong = sent ? await waitForMessage(conn, [rule.pong], from, ctx.settings.timeoutMs) : null;
    if (!pong) {
      findings.add('no-pong', { message: `No ${rule.pong} answered ${rule.ping}`, expected: `${rule.pong} within ${ctx.settings.timeoutMs} ms`, actual: describeAbsence(conn, from, ctx.settings.timeoutMs, await closedNow(conn)) }, at(lastFrame(conn)));
      return verdictOf(findings.list());
    }
    const payload = payloadOf(ctx.spec, pong.message);
    for (const field of pongFieldsOf(ctx.spec)) {
      if (!hasField(payload, field)) findings.add(`field:${field}`, { message: `${rule.pong} lacks ${field}`, expected: `${rule.pong} with ${field}`, actual: `no ${field}` }, at(pong, { path: `$.${field}` }));
    }
    // The pong carries back what the ping carried at the echoed paths.
    const ping = payloadOf(ctx.spec, sent!.message);
    for (const path of rule.echo ?? []) {
      if (!hasField(ping, path)) continue;
      const want = fieldAt(ping, path);
      if (isDeepStrictEqual(fieldAt(payload, path), want)) continue;
      const where = ctx.spec.ext.shape === 'array' ? `position ${path}` : path;
      findings.add(`echo:${path}`, { message: `${rule.pong} does not echo the ping's ${where}`, expected: `${path} ${preview(want, 60)}, as the ping sent`, actual: hasField(payload, path) ? `${path} ${preview(fieldAt(payload, path), 60)}` : `no ${path}`, basis: rule.echoBasis ?? basisOf(rule, 'x-wsconform.keepalive.appPing') }, at(pong, { path: `$.${path}` }));
    }
    return verdictOf(findings.list());
  },
});

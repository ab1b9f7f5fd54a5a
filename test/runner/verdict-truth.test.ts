/**
 * Verdicts that are true where the kit was not built beside the server: every quote comes from
 * the document under test, the URL given is the URL tested, a run that saw nothing or was
 * refused never exits 0, and checks do not contaminate each other.
 */
import { checksFor as clientChecksFor } from '../../src/judge/client.js';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHECKS } from '../../conformance/index.js';
import { replyBasis, schemaBasis } from '../../conformance/expect/index.js';
import { startReferenceServer } from '../../reference-server/index.js';
import { exitCodeOf, runSuite, type Basis } from '../../src/runner/index.js';
import type { RunReport } from '../../src/runner/types.js';
import { loadSpec } from '../../src/spec/load.js';
import { BUILTIN_PROTOCOLS } from '../../src/spec/paths.js';
import { ROOT, runCli } from '../helpers.js';
import { wsServer, type TestServer } from './servers.js';
import { FAST } from './suite.js';

const squash = (t: string) => t.replace(/\s+/g, ' ').trim();

/** Every string value of a parsed document, joined: the document's own text. */
function strings(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') out.push(node);
  else if (Array.isArray(node)) for (const v of node) strings(v, out);
  else if (node && typeof node === 'object') for (const v of Object.values(node)) strings(v, out);
  return out;
}

const SOURCE: Record<string, string> = { kiwi: 'kiwi', clown: 'clown', coda: 'coda', aragora: 'aragora', 'aragora-control-plane': 'aragora', 'gemini-chat': 'gemini-chat' };
const TRANSPORT_SPECS = /^(RFC 6455 §[\d.]+|Socket\.IO protocol v5\b.*|Engine\.IO protocol v4\b.*)$/;
const decisions = new Set([...readFileSync(join(ROOT, 'asyncapi/DECISIONS.md'), 'utf8').matchAll(/^### ([a-z0-9-]+):/gm)].map((m) => m[1]));

let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** The prose an example document was written from. */
const EXAMPLE_SOURCE: Record<string, string> = {
  'examples/graphql-transport-ws.asyncapi.yaml': 'examples/sources/graphql-transport-ws.md',
  'examples/json-rpc-2.0.asyncapi.yaml': 'examples/sources/json-rpc-2.0.md',
  'test/independent/documents/home-assistant.asyncapi.yaml': 'test/independent/documents/home-assistant-websocket.md',
  'test/independent/documents/eth-pubsub.asyncapi.yaml': 'test/independent/documents/eth-pubsub-sources.md',
  'test/independent/documents/phoenix-channels.asyncapi.yaml': 'test/independent/documents/phoenix-channels-client-guide.md',
};

describe('evidence quotes the document being tested, never another one', () => {
  for (const ref of [...BUILTIN_PROTOCOLS, 'examples/ticker.asyncapi.yaml', 'test/judge/documents/ticker.asyncapi.yaml', ...Object.keys(EXAMPLE_SOURCE)]) {
    it(`${ref}: every basis quotes its own document (and, for a built-in, its source prose), a transport specification or a recorded decision`, async () => {
      const spec = await loadSpec(ref);
      const own = squash(strings(parse(readFileSync(spec.file, 'utf8'))).join('\n'));
      const proseFile = SOURCE[ref] ? join(ROOT, 'asyncapi/sources', `${SOURCE[ref]}.md`) : EXAMPLE_SOURCE[ref] ? join(ROOT, EXAMPLE_SOURCE[ref]) : undefined;
      const prose = proseFile ? squash(readFileSync(proseFile, 'utf8')) : undefined;
      // A user document records its decisions in x-wsconform.decisions, as "id: what and why".
      const ownDecisions = new Set((spec.ext.decisions ?? []).map((d) => d.split(':')[0]));
      const bases: { where: string; basis: Basis }[] = [];
      for (const c of CHECKS) if (c.appliesTo(spec) === true) for (const basis of c.basis(spec)) bases.push({ where: c.id, basis });
      // judge-client's checks too (with a token, so that client/auth applies where it can).
      for (const c of clientChecksFor(spec, 'a-token')) if (c.applies === true) for (const basis of c.basis) bases.push({ where: c.id, basis });
      for (const m of spec.messages) if (m.direction === 'receive') bases.push({ where: `schema of ${m.name}`, basis: schemaBasis(spec, m.name)! });
      for (const r of spec.replies.keys()) bases.push({ where: `reply to ${r}`, basis: replyBasis(spec, r) });
      const wrong: string[] = [];
      for (const { where, basis } of bases) {
        if (basis.spec && !TRANSPORT_SPECS.test(basis.spec)) wrong.push(`${where}: unknown specification ${basis.spec}`);
        if (basis.decision !== undefined && SOURCE[ref] && !decisions.has(basis.decision)) wrong.push(`${where}: no decision ${basis.decision} in DECISIONS.md`);
        if (basis.decision !== undefined && !SOURCE[ref] && !basis.decision.startsWith('kit-') && !ownDecisions.has(basis.decision)) wrong.push(`${where}: no decision ${basis.decision} in the document's x-wsconform.decisions`);
        if (basis.quote && !basis.spec) {
          if (!own.includes(squash(basis.quote))) wrong.push(`${where}: "${basis.quote}" is not in ${spec.file}`);
          // Quotes the kit wrote into x-wsconform come from the prose; summaries may paraphrase it.
          const fromRule = !where.startsWith('schema of ');
          if (prose && fromRule && !prose.includes(squash(basis.quote.replace(/^"|"$/g, '')))) wrong.push(`${where}: "${basis.quote}" is not in ${proseFile}`);
        }
        if (!basis.quote && !basis.spec && basis.decision === undefined && !basis.source) wrong.push(`${where}: an empty basis`);
      }
      expect(wrong).toEqual([]);
      expect(bases.length).toBeGreaterThan(5);
    });
  }

  it('quotes Kiwi in a Kiwi report, not the sentence of another document', async () => {
    const server = await startReferenceServer({ protocol: 'kiwi', port: 0, instant: true, faults: ['timestamp-iso'] });
    servers.push(server);
    const report = await runSuite(await loadSpec('kiwi'), CHECKS, { url: server.url, ...FAST, only: ['envelope'] });
    const timestamps = report.checks.find((c) => c.id === 'envelope/timestamps')!;
    expect(timestamps.quote).toBe('"`timestamp` | float | Unix timestamp" (Event Format)');
    expect(timestamps.findings[0].basis).toEqual({ quote: '`timestamp` | float | Unix timestamp', source: 'Event Format' });
    expect(JSON.stringify(report)).not.toMatch(/Aragora|Gemini|Coda|Clown/);
  });
});

describe('the target is what is tested', () => {
  it('fails handshake/upgrade and exits 1 when the path of --url is wrong, testing the documented path too', async () => {
    const server = await startReferenceServer({ protocol: 'kiwi', port: 0, instant: true });
    servers.push(server);
    const wrong = server.url.replace('/api/events', '/api/event');
    const r = await runCli(['run', 'kiwi', '--url', wrong, '--timeout', '1000', '--observe', '400', '--reporter', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as RunReport;
    const upgrade = report.checks.find((c) => c.id === 'handshake/upgrade')!;
    expect(upgrade.verdict).toBe('fail');
    expect(upgrade.findings.map((f) => [f.message, f.actual])).toEqual([['The channel /api/event did not open', 'the upgrade was answered with HTTP 404']]);
    expect(report.problems).toEqual([`the server at ${wrong} did not accept the observation connection (the upgrade was answered with HTTP 404)`]);
  });

  it('is a usage error (exit 2) naming --token when the document refuses connections without one', async () => {
    const server = await startReferenceServer({ protocol: 'gemini-chat', port: 0, instant: true });
    servers.push(server);
    for (const extra of [[], ['--token', '']]) {
      const r = await runCli(['run', 'gemini-chat', '--url', server.url, ...extra]);
      expect([r.code, r.stderr]).toEqual([2, 'wsconform: gemini-chat refuses connections without a token (x-wsconform.auth.withoutToken: refuse): give --token (and --admin-token for admin-only checks)\n(run with --help for usage)\n']);
    }
  });

  it('exits 1 against a plain HTTP server that speaks no Socket.IO', async () => {
    const http = createServer((_, res) => res.end('hello'));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    servers.push({ close: () => new Promise<void>((r) => http.close(() => r())) });
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const r = await runCli(['run', 'gemini-chat', '--url', url, '--token', 'plain-http-token', '--timeout', '500', '--observe', '300']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^RUN FAILED: the server at http:\/\/127\.0\.0\.1:\d+ did not accept the observation connection/m);
  });

  it('warns that --token is ignored for a document without authentication', async () => {
    const server = await startReferenceServer({ protocol: 'kiwi', port: 0, instant: true });
    servers.push(server);
    const r = await runCli(['run', 'kiwi', '--url', server.url, '--token', 't', '--timeout', '1000', '--observe', '400']);
    expect(r.stderr).toBe('wsconform: warning: kiwi documents no authentication; --token is presented but no auth check runs\n');
    expect(r.code).toBe(0);
  });
});

describe('a run that observed nothing never exits 0', () => {
  let silent: TestServer | undefined;
  afterEach(async () => {
    await silent?.close();
    silent = undefined;
  });

  it('exits 1 with one line when the stream only answers pings', async () => {
    silent = await wsServer('/api/events', (ws) => ws.on('message', (d) => String(d).includes('"ping"') && ws.send('{"event":"pong"}')));
    const report = await runSuite(await loadSpec('kiwi'), CHECKS, { url: silent.url, ...FAST });
    expect(report.summary.failed).toBe(0);
    expect(report.problems).toHaveLength(1);
    expect(report.problems![0]).toMatch(new RegExp(`^no stream event was observed in \\d+ ms at ${silent.url} \\(only pong\\): the stream checks had nothing to judge; raise --observe or set --trigger$`));
    expect(exitCodeOf(report)).toBe(1);
  });
});

describe('checks do not contaminate each other', () => {
  it('gives the same findings in a full run and an --only run of gemini-chat', async () => {
    const server = await startReferenceServer({ protocol: 'gemini-chat', port: 0, instant: true, token: 'truth-user', adminToken: 'truth-admin', faults: ['accumulated-mismatch'] });
    servers.push(server);
    const spec = await loadSpec('gemini-chat');
    const options = { url: server.url, token: 'truth-user', adminToken: 'truth-admin', timeoutMs: 2000, observeMs: 500 };
    // The same kinds of finding, in the same words (what a baseline stores); how often depends on
    // how much traffic the run made, which a full run makes more of.
    const findings = (r: RunReport, id: string) => r.checks.find((c) => c.id === id)!.findings.map((f) => [f.message, f.expected, f.actual]);
    const full = await runSuite(spec, CHECKS, options);
    const only = await runSuite(spec, CHECKS, { ...options, only: ['ordering'] });
    for (const id of only.checks.map((c) => c.id)) expect([id, findings(only, id)]).toEqual([id, findings(full, id)]);
    expect(only.checks.map((c) => c.id)).toEqual(['ordering/sequence', 'ordering/lifecycle', 'ordering/accumulation', 'ordering/reply-after-request', 'ordering/broadcast', 'ordering/operations']);
    expect(findings(full, 'ordering/accumulation').length).toBe(1);
  });

  it('gives every connection its own value of the fields that scope traffic', async () => {
    const seen: string[] = [];
    const server = await wsServer('/ticks', (ws) => ws.on('message', (d) => seen.push(String(d))));
    servers.push(server);
    const spec = await loadSpec(join(ROOT, 'examples/ticker.asyncapi.yaml'));
    const scoped = { ...spec, ext: { ...spec.ext, perConnection: ['room'], triggers: [{ message: 'ping', payload: { room: 'lobby', who: '${connectionId}' } }] } };
    await runSuite(scoped, CHECKS, { url: server.url, ...FAST, only: ['ordering'] });
    const sent = seen.map((t) => JSON.parse(t)).filter((m) => m.room);
    expect(sent.length).toBeGreaterThan(0);
    for (const m of sent) {
      expect(m.room).toMatch(/^lobby-wsc[a-z0-9]+$/);
      expect(m.room).toBe(`lobby-${m.who}`);
    }
  });
});

/** `--clients N`: N observers at once, each judged per connection and timing ping → pong. */
import { afterEach, describe, expect, it } from 'vitest';
import { CHECKS } from '../../conformance/index.js';
import { startReferenceServer, type RunningServer } from '../../reference-server/index.js';
import { exitCodeOf, runSuite } from '../../src/runner/index.js';
import { loadSpec } from '../../src/spec/load.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const bad = (r: Awaited<ReturnType<typeof runSuite>>) => r.checks.filter((c) => c.verdict === 'fail' || c.verdict === 'error' || c.verdict === 'non-strict').map((c) => c.id);

describe('a run with many clients', () => {
  it('passes against the reference server with 100 clients, each with its own ping → pong figures', async () => {
    server = await startReferenceServer({ protocol: 'kiwi', port: 0 });
    const report = await runSuite(await loadSpec('kiwi'), CHECKS, { url: server.url, timeoutMs: 2000, observeMs: 1500, clients: 100 });
    expect(bad(report)).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(exitCodeOf(report)).toBe(0);
    expect(report.clients!.count).toBe(100);
    const latency = report.clients!.latency;
    expect(latency.map((l) => l.client)).toEqual(['observation', ...Array.from({ length: 99 }, (_, i) => `client-${i + 2}`)]);
    for (const l of latency) {
      expect(l.samples, l.client).toBeGreaterThan(0);
      expect(l.unanswered, l.client).toBe(0);
      expect(l.p50Ms! <= l.p99Ms! && l.p99Ms! <= l.maxMs!, l.client).toBe(true);
    }
  }, 60_000);

  it('fails the run when the clients ping and no pong comes, naming each client', async () => {
    server = await startReferenceServer({ protocol: 'kiwi', port: 0, faults: ['no-pong'] });
    const report = await runSuite(await loadSpec('kiwi'), CHECKS, { url: server.url, timeoutMs: 300, observeMs: 1200, clients: 3, only: ['envelope'] });
    expect(report.problems!.filter((p) => / pings got no pong within the timeout$/.test(p)).map((p) => p.split(':')[0])).toEqual(['observation', 'client-2', 'client-3']);
    expect(exitCodeOf(report)).toBe(1);
  }, 30_000);

  it('judges the sequences of every client, not only the observation', async () => {
    server = await startReferenceServer({ protocol: 'coda', port: 0, faults: ['seq-regress'] });
    const report = await runSuite(await loadSpec('coda'), CHECKS, { url: server.url, timeoutMs: 1000, observeMs: 1000, clients: 4, only: ['ordering/sequence'] });
    const seq = report.checks.find((c) => c.id === 'ordering/sequence')!;
    // coda's sequence rule rests on a decision of its document: a missed SHOULD.
    expect(seq.verdict).toBe('non-strict');
    const connections = new Set(seq.findings.flatMap((f) => f.occurrences.map((o) => o.connection ?? 'observation')));
    expect(connections.size).toBeGreaterThan(1);
  }, 30_000);

  it('compares what every observer received where the document says events are broadcast', async () => {
    server = await startReferenceServer({ protocol: 'clown', port: 0 });
    const clean = await runSuite(await loadSpec('clown'), CHECKS, { url: server.url, timeoutMs: 1000, observeMs: 1500, clients: 4, only: ['ordering/broadcast'] });
    expect(clean.checks[0].verdict).toBe('pass');
    await server.close();
    server = await startReferenceServer({ protocol: 'clown', port: 0, faults: ['no-broadcast'] });
    const broken = await runSuite(await loadSpec('clown'), CHECKS, { url: server.url, timeoutMs: 1000, observeMs: 1500, clients: 4, only: ['ordering/broadcast'] });
    const messages = broken.checks[0].findings.map((f) => f.message);
    expect(broken.checks[0].verdict).toBe('fail');
    expect(messages.some((m) => /client-[234]/.test(m))).toBe(true);
  }, 30_000);
});

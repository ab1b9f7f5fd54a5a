import { readFileSync } from 'node:fs';
import { join } from 'node:path';
/**
 * The fault matrix: the whole suite against the reference server of every built-in protocol,
 * without faults (every check passes or does not apply) and once per fault and protocol (every
 * check the fault `catches` fails). Servers stream instantly and ping every 200 ms, so a run
 * takes about half a second; tests run concurrently.
 */
import { describe, expect, it, vi } from 'vitest';
import { CHECKS } from '../../conformance/index.js';
import { ROOT } from '../helpers.js';
import { FAULTS, startReferenceServer } from '../../reference-server/index.js';
import { caughtBy } from '../../reference-server/faults.js';
import { runSuite } from '../../src/runner/index.js';
import type { RunReport } from '../../src/runner/types.js';
import { loadSpec } from '../../src/spec/load.js';
import { BUILTIN_PROTOCOLS } from '../../src/spec/paths.js';

// A run mostly waits (observation window, timeouts): more runs at once than the default 5.
// Six suites at once keep the matrix fast without starving handshakes on a 2-core machine;
// `npm test` runs this file on its own, after the others (see package.json).
vi.setConfig({ maxConcurrency: 6 });

const TOKENS = { token: 'matrix-user-token', adminToken: 'matrix-admin-token' };
// A generous timeout: only failing waits reach it, and a loaded CI machine is slow to connect.
const SETTINGS = { keepaliveIntervalMs: 200, timeoutMs: 2000, observeMs: 500 };

async function runAgainst(protocol: string, faults: string[], options: { strict?: boolean; only?: string[] } = {}): Promise<RunReport> {
  const spec = await loadSpec(protocol);
  const server = await startReferenceServer({ protocol, port: 0, instant: true, ...TOKENS, keepaliveIntervalMs: SETTINGS.keepaliveIntervalMs, faults });
  try {
    return await runSuite(spec, CHECKS, { url: server.url, ...TOKENS, ...SETTINGS, ...options });
  } finally {
    await server.close();
  }
}

describe.concurrent('the reference server without faults', () => {
  for (const protocol of BUILTIN_PROTOCOLS) {
    it(`passes every applicable check of ${protocol}, and skips only the checks its document does not call for`, async () => {
      const spec = await loadSpec(protocol);
      const report = await runAgainst(protocol, []);
      const notPassed = report.checks.filter((c) => c.verdict !== 'pass' && c.verdict !== 'skip');
      expect(notPassed.map((c) => ({ id: c.id, verdict: c.verdict, reason: c.reason, findings: c.findings }))).toEqual([]);
      const skips = report.checks.filter((c) => c.verdict === 'skip');
      expect(skips.map((c) => [c.id, c.reason])).toEqual(skips.map((c) => [c.id, CHECKS.find((d) => d.id === c.id)!.appliesTo(spec)]));
      expect(report.summary.passed).toBeGreaterThan(10);
    });
  }
});

describe.concurrent('the reference server with one fault', () => {
  for (const fault of FAULTS) {
    for (const protocol of fault.protocols) {
      const catches = caughtBy(fault, protocol);
      it(`catches ${fault.name} on ${protocol}: ${catches.join(', ')} fail${fault.disrupts ? ' (the server goes down: judged on its own checks)' : ''}`, async () => {
        // A fault that takes the server down fails whatever runs beside it: it runs its checks alone.
        const report = await runAgainst(protocol, [fault.name], fault.disrupts ? { only: catches } : {});
        const levels = new Map(CHECKS.map((c) => [c.id, c.level]));
        const result = (id: string) => report.checks.find((c) => c.id === id)!;
        // A MUST check fails on a rule the document states; on a rule resting on a decision alone
        // (or a SHOULD check) the fault is a missed SHOULD: non-strict, and a failure under --strict.
        const stated = (id: string) => levels.get(id) === 'MUST' && result(id).findings.some((f) => f.level === 'MUST');
        const got = Object.fromEntries(catches.map((id) => [id, result(id)?.verdict]));
        expect(got).toEqual(Object.fromEntries(catches.map((id) => [id, stated(id) ? 'fail' : 'non-strict'])));
        for (const id of catches) expect(result(id).findings.length).toBeGreaterThan(0);
        expect(report.checks.filter((c) => c.verdict === 'error').map((c) => [c.id, c.reason])).toEqual([]);
        // The fault fails its own checks and no other.
        expect(report.checks.filter((c) => (c.verdict === 'fail' || c.verdict === 'non-strict') && !catches.includes(c.id)).map((c) => [c.id, c.findings.map((f) => f.message)])).toEqual([]);
        const should = catches.filter((id) => !stated(id));
        if (should.length) {
          const strict = await runAgainst(protocol, [fault.name], { strict: true, ...(fault.disrupts ? { only: catches } : {}) });
          expect(Object.fromEntries(strict.checks.filter((c) => should.includes(c.id)).map((c) => [c.id, c.verdict]))).toEqual(Object.fromEntries(should.map((id) => [id, 'fail'])));
        }
      });
    }
  }
});

describe('the fault list', () => {
  it('catches every check of the registry with at least one fault', () => {
    // No built-in protocol has a subprotocol, an opening, operations, close codes, batches or
    // probes: their faults are proven on the graphql-transport-ws and JSON-RPC examples
    // (test/reference-server/session-faults.test.ts).
    const session = readFileSync(join(ROOT, 'test/reference-server/session-faults.test.ts'), 'utf8');
    const caught = new Set(FAULTS.filter((f) => f.protocols.length > 0 || session.includes(`['${f.name}', {`)).flatMap((f) => f.catches));
    expect(CHECKS.map((c) => c.id).filter((id) => !caught.has(id))).toEqual([]);
  });

  it('lists each fault only for protocols whose document has the rule its checks enforce', async () => {
    const notApplicable: string[] = [];
    for (const f of FAULTS) {
      for (const protocol of f.protocols) {
        const spec = await loadSpec(protocol);
        for (const id of caughtBy(f, protocol)) if (CHECKS.find((c) => c.id === id)!.appliesTo(spec) !== true) notApplicable.push(`${f.name} on ${protocol}: ${id}`);
      }
    }
    expect(notApplicable).toEqual([]);
  });

  it('names only check ids of the registry in catches', () => {
    const ids = new Set(CHECKS.map((c) => c.id));
    expect(FAULTS.flatMap((f) => f.catches).filter((id) => !ids.has(id))).toEqual([]);
  });
});

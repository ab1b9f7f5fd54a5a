/**
 * The graphql-transport-ws document (examples/) against the real graphql-ws server: clean when
 * unmodified; each broken variant fails its intended check, and no other.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHECKS } from '../../conformance/index.js';
import { runSuite } from '../../src/runner/index.js';
import type { RunReport } from '../../src/runner/types.js';
import { loadSpec } from '../../src/spec/load.js';
import { ROOT } from '../helpers.js';
import { startGraphqlWs, type GraphqlVariant } from './graphql-ws-server.js';

const DOC = join(ROOT, 'examples', 'graphql-transport-ws.asyncapi.yaml');
let server: Awaited<ReturnType<typeof startGraphqlWs>> | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function runAgainst(variant?: GraphqlVariant): Promise<RunReport> {
  server = await startGraphqlWs(variant);
  const spec = await loadSpec(DOC);
  return runSuite(spec, CHECKS, { url: server.url, timeoutMs: 1500, observeMs: 600 });
}

const notPassing = (r: RunReport) => Object.fromEntries(r.checks.filter((c) => c.verdict === 'fail' || c.verdict === 'non-strict' || c.verdict === 'error').map((c) => [c.id, c.verdict]));

describe('graphql-transport-ws against the real graphql-ws server', () => {
  it('runs clean against the unmodified server, with every session check judged', async () => {
    const report = await runAgainst();
    expect(notPassing(report)).toEqual({});
    expect(report.problems).toEqual([]);
    const passed = report.checks.filter((c) => c.verdict === 'pass').map((c) => c.id);
    for (const id of ['handshake/upgrade', 'handshake/subprotocol', 'handshake/opening', 'ordering/operations', 'robustness/close-codes', 'ping-pong/app-ping', 'robustness/invalid-json', 'robustness/unknown-message', 'envelope/schema']) expect(passed).toContain(id);
  }, 30_000);

  it.each<[GraphqlVariant, Record<string, string>]>([
    ['next-after-complete', { 'ordering/operations': 'fail' }],
    ['no-ack', { 'handshake/opening': 'fail' }],
    ['second-init-accepted', { 'robustness/close-codes': 'fail' }],
    ['duplicate-id-accepted', { 'robustness/close-codes': 'fail' }],
    ['pong-missing', { 'ping-pong/app-ping': 'fail' }],
    ['wrong-unauthorized-code', { 'robustness/close-codes': 'fail' }],
    // The two rules whose basis only recommends (a decision; "should be sent through"): SHOULD.
    ['no-subprotocol-accepted', { 'handshake/subprotocol': 'non-strict' }],
    ['ignores-cancel', { 'ordering/operations': 'non-strict' }],
  ])('%s fails only %o', async (variant, expected) => {
    const report = await runAgainst(variant);
    expect(notPassing(report)).toEqual(expected);
  }, 30_000);
});

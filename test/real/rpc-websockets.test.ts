/**
 * The JSON-RPC 2.0 document (examples/) against the real rpc-websockets server: every check that
 * applies judged, and one true finding (rpc-websockets answers a Request without a method with
 * -32602 where §5.1 says -32600); each broken variant fails its intended check, and no other.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHECKS } from '../../conformance/index.js';
import { runSuite } from '../../src/runner/index.js';
import type { RunReport } from '../../src/runner/types.js';
import { loadSpec } from '../../src/spec/load.js';
import { ROOT } from '../helpers.js';
import { startRpcWebsockets, type RpcVariant } from './rpc-websockets-server.js';

const DOC = join(ROOT, 'examples', 'json-rpc-2.0.asyncapi.yaml');
let server: Awaited<ReturnType<typeof startRpcWebsockets>> | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function runAgainst(variant?: RpcVariant): Promise<RunReport> {
  server = await startRpcWebsockets(variant);
  const spec = await loadSpec(DOC);
  return runSuite(spec, CHECKS, { url: server.url, timeoutMs: 1500, observeMs: 600 });
}

/** Each check that did not pass, with the first words of its findings (a probe's id, or the finding). */
const notPassing = (r: RunReport) =>
  Object.fromEntries(
    r.checks
      .filter((c) => c.verdict === 'fail' || c.verdict === 'non-strict' || c.verdict === 'error')
      .map((c) => [c.id, `${c.verdict}: ${(c.findings ?? []).map((f) => (c.id === 'robustness/probes' ? f.message.split(':')[0] : f.message)).join(' | ')}`]),
  );

const NO_METHOD = 'fail: no-method';

describe('JSON-RPC 2.0 against the real rpc-websockets server', () => {
  it('judges every check that applies, and finds the one deviation of the unmodified server', async () => {
    const report = await runAgainst();
    expect(notPassing(report)).toEqual({ 'robustness/probes': NO_METHOD });
    const probes = report.checks.find((c) => c.id === 'robustness/probes')!;
    expect(probes.findings![0]).toMatchObject({ expected: 'error with error.code -32600', actual: 'error with error.code -32602' });
    expect(probes.findings![0].basis?.quote).toBe('-32600 | Invalid Request | The JSON sent is not a valid Request object.');
    const passed = report.checks.filter((c) => c.verdict === 'pass').map((c) => c.id);
    for (const id of ['handshake/upgrade', 'envelope/json-objects', 'envelope/known-messages', 'envelope/schema', 'ordering/operations', 'request-response/replies', 'request-response/batch', 'robustness/invalid-json', 'robustness/unknown-message', 'robustness/non-object-json']) expect(passed).toContain(id);
    expect(report.problems).toEqual([]);
  }, 30_000);

  it.each<[RpcVariant, Record<string, string>]>([
    ['result-wrong-id', { 'ordering/operations': 'fail: The call operation never ended' }],
    ['no-jsonrpc-member', { 'envelope/schema': 'fail: result: $.jsonrpc is required' }],
    ['method-not-found-code', { 'robustness/unknown-message': 'fail: The reply to an unknown message "wsconform-unknown-*" is the wrong answer' }],
    ['parse-error-code', { 'robustness/invalid-json': 'fail: The reply to a frame that is not JSON is the wrong answer' }],
    ['invalid-params-code', { 'robustness/probes': 'fail: no-method | invalid-params' }],
    ['answers-notification', { 'robustness/probes': 'fail: no-method | notification' }],
    // The batch rule's sentence says "should": SHOULD.
    ['batch-unbatched', { 'request-response/batch': 'non-strict: The batch was not answered with one array' }],
  ])('%s fails only %o', async (variant, expected) => {
    const report = await runAgainst(variant);
    const got = notPassing(report);
    for (const [id, text] of Object.entries(got)) got[id] = text.replace(/wsconform-unknown-[a-z0-9]+/, 'wsconform-unknown-*');
    expect(got).toEqual({ 'robustness/probes': NO_METHOD, ...expected });
  }, 30_000);
});

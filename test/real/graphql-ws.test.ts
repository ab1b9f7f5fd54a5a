/**
 * The graphql-transport-ws document (examples/) against the real graphql-ws server: clean when
 * unmodified; each broken variant fails its intended check, and no other.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
    ['pong-not-echoing', { 'ping-pong/app-ping': 'non-strict' }],
    // A server that pings its clients and closes a silent one: every connection answers.
    ['pings-client', {}],
  ])('%s fails only %o', async (variant, expected) => {
    const report = await runAgainst(variant);
    expect(notPassing(report)).toEqual(expected);
    // Every connection answered the server's ping with its payload, so none was closed for silence.
    if (variant === 'pings-client') expect([server!.stats.pings > 5, server!.stats.answered, server!.stats.unanswered]).toEqual([true, server!.stats.pings, 0]);
  }, 30_000);

  it('judges a token carried in connection_init.payload: accepted when valid, refused when missing or wrong', async () => {
    // The example with the auth a server adds through graphql-ws's onConnect.
    const text = readFileSync(DOC, 'utf8').replace(
      '  keepalive:\n',
      [
        '  auth:',
        '    means: [{ in: opening-payload, name: payload.token }]',
        '    withoutToken: refuse',
        '    basis: { decision: graphql-auth-on-connect }',
        '  keepalive:',
        '',
      ].join('\n'),
    ).replace("  decisions:\n", "  decisions:\n    - 'graphql-auth-on-connect: a server that checks connection_init.payload.token in onConnect refuses a wrong or missing one (graphql-ws closes with 4403).'\n");
    const file = join(mkdtempSync(join(tmpdir(), 'wsconform-gql-')), 'graphql-auth.asyncapi.yaml');
    writeFileSync(file, text);
    server = await startGraphqlWs(undefined, 'secret-1');
    const spec = await loadSpec(file);
    const report = await runSuite(spec, CHECKS, { url: server.url, token: 'secret-1', timeoutMs: 1500, observeMs: 600 });
    expect(notPassing(report)).toEqual({});
    expect(Object.fromEntries(report.checks.filter((c) => c.id.startsWith('auth/')).map((c) => [c.id, c.verdict]))).toMatchObject({ 'auth/valid-token': 'pass', 'auth/missing-token': 'pass', 'auth/wrong-token': 'pass', 'auth/token-not-echoed': 'pass' });
    // A --token the server refuses: the opening fails (MUST); the auth rule rests on a decision (SHOULD).
    const wrong = await runSuite(spec, CHECKS, { url: server.url, token: 'not-the-secret', timeoutMs: 1500, observeMs: 600 });
    expect(notPassing(wrong)).toMatchObject({ 'handshake/opening': 'fail', 'auth/valid-token': 'non-strict' });
  }, 60_000);
});

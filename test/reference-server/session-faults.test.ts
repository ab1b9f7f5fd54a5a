/**
 * The session checks against the reference server serving the graphql-transport-ws and JSON-RPC
 * examples (their default scenarios): clean without faults; each session fault fails its own
 * check only.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHECKS } from '../../conformance/index.js';
import { startReferenceServer, type RunningServer } from '../../reference-server/index.js';
import { runSuite } from '../../src/runner/index.js';
import { loadSpec } from '../../src/spec/load.js';
import { ROOT } from '../helpers.js';

const DOC = join(ROOT, 'examples', 'graphql-transport-ws.asyncapi.yaml');
let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(faults: string[] = []) {
  server = await startReferenceServer({ protocol: DOC, port: 0, instant: true, faults });
  const report = await runSuite(await loadSpec(DOC), CHECKS, { url: server.url, timeoutMs: 1000, observeMs: 500 });
  return Object.fromEntries(report.checks.filter((c) => c.verdict !== 'pass' && c.verdict !== 'skip').map((c) => [c.id, c.verdict]));
}

describe('session faults of the reference server', () => {
  it('serves the graphql-transport-ws example clean, the documented close codes included', async () => {
    expect(await run()).toEqual({});
  });

  it.each([
    ['no-opening-reply', { 'handshake/opening': 'fail' }],
    ['operation-after-end', { 'ordering/operations': 'fail' }],
    ['wrong-close-codes', { 'robustness/close-codes': 'fail' }],
    // That a pong echoes its ping's payload rests on a decision of the document: SHOULD.
    ['pong-no-echo', { 'ping-pong/app-ping': 'non-strict' }],
    // The refusal of a client offering no subprotocol rests on a decision of the document: SHOULD.
    ['accept-no-subprotocol', { 'handshake/subprotocol': 'non-strict' }],
  ])('%s fails only %o', async (fault, expected) => {
    expect(await run([fault])).toEqual(expected);
  });
});

const RPC = join(ROOT, 'examples', 'json-rpc-2.0.asyncapi.yaml');

async function runRpc(faults: string[] = []) {
  server = await startReferenceServer({ protocol: RPC, port: 0, instant: true, faults });
  const report = await runSuite(await loadSpec(RPC), CHECKS, { url: server.url, timeoutMs: 1000, observeMs: 500 });
  return Object.fromEntries(report.checks.filter((c) => c.verdict !== 'pass' && c.verdict !== 'skip').map((c) => [c.id, `${c.verdict}: ${c.findings.map((f) => f.message).join(' | ')}`]));
}

describe('the reference server serving the JSON-RPC 2.0 example', () => {
  it('answers requests, batches, bad input and every documented probe as documented', async () => {
    expect(await runRpc()).toEqual({});
  });

  it.each([
    ['batch-unbatched', { 'request-response/batch': 'non-strict: The batch was not answered with one array' }],
    ['misanswer-probes', { 'robustness/probes': 'fail: ' }],
  ])('%s fails only %o', async (fault, expected) => {
    const got = await runRpc([fault]);
    expect(Object.keys(got)).toEqual(Object.keys(expected));
    for (const [id, text] of Object.entries(expected)) expect(got[id]).toContain(text);
  });
});

/** A user's document served without --fixture: the default scenario built from the document. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHECKS } from '../../conformance/index.js';
import { startReferenceServer, type RunningServer } from '../../reference-server/index.js';
import { runSuite } from '../../src/runner/index.js';
import { loadSpec } from '../../src/spec/load.js';
import { ROOT } from '../helpers.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const verdicts = (r: Awaited<ReturnType<typeof runSuite>>) => Object.fromEntries(r.checks.map((c) => [c.id, c.verdict]));

describe('serve a user document without a fixture', () => {
  it('serves the ticker example from its examples and schemas, and a run against it is clean', async () => {
    const doc = join(ROOT, 'examples', 'ticker.asyncapi.yaml');
    server = await startReferenceServer({ protocol: doc, port: 0, instant: true });
    const report = await runSuite(await loadSpec(doc), CHECKS, { url: server.url, timeoutMs: 1000, observeMs: 500 });
    expect(report.checks.filter((c) => c.verdict === 'fail' || c.verdict === 'error' || c.verdict === 'non-strict')).toEqual([]);
    expect(verdicts(report)).toMatchObject({ 'envelope/schema': 'pass', 'ping-pong/app-ping': 'pass', 'ordering/sequence': 'pass', 'envelope/timestamps': 'pass' });
    expect(report.problems).toEqual([]);
  });

  it('serves the Home Assistant document (a protocol the kit was not built for) clean: auth in the opening, growing ids, subscriptions', async () => {
    const doc = join(ROOT, 'test', 'independent', 'documents', 'home-assistant.asyncapi.yaml');
    server = await startReferenceServer({ protocol: doc, port: 0, instant: true, token: 'ha-secret' });
    const report = await runSuite(await loadSpec(doc), CHECKS, { url: server.url, token: 'ha-secret', timeoutMs: 1000, observeMs: 500 });
    expect(report.checks.filter((c) => c.verdict !== 'pass' && c.verdict !== 'skip').map((c) => [c.id, c.findings.map((f) => f.message)])).toEqual([]);
    expect(verdicts(report)).toMatchObject({ 'handshake/opening': 'pass', 'ordering/operations': 'pass', 'auth/missing-token': 'pass', 'auth/wrong-token': 'pass', 'ping-pong/app-ping': 'pass', 'robustness/probes': 'pass' });
  });

  it('serves the Phoenix Channels document (every message a JSON array) clean', async () => {
    const doc = join(ROOT, 'test', 'independent', 'documents', 'phoenix-channels.asyncapi.yaml');
    server = await startReferenceServer({ protocol: doc, port: 0, instant: true });
    const report = await runSuite(await loadSpec(doc), CHECKS, { url: server.url, timeoutMs: 1000, observeMs: 500 });
    expect(report.checks.filter((c) => c.verdict !== 'pass' && c.verdict !== 'skip').map((c) => [c.id, c.findings.map((f) => f.message)])).toEqual([]);
    expect(verdicts(report)).toMatchObject({ 'envelope/json-objects': 'pass', 'envelope/schema': 'pass', 'ordering/operations': 'pass', 'ping-pong/app-ping': 'pass' });
    expect(report.problems).toEqual([]);
  });

  it('serves the eth_subscribe document clean: the subscription id it assigns comes in the reply and in every notification', async () => {
    const doc = join(ROOT, 'test', 'independent', 'documents', 'eth-pubsub.asyncapi.yaml');
    server = await startReferenceServer({ protocol: doc, port: 0, instant: true });
    const report = await runSuite(await loadSpec(doc), CHECKS, { url: server.url, timeoutMs: 1000, observeMs: 500 });
    expect(report.checks.filter((c) => c.verdict !== 'pass' && c.verdict !== 'skip').map((c) => [c.id, c.findings.map((f) => f.message)])).toEqual([]);
    expect(verdicts(report)).toMatchObject({ 'ordering/operations': 'pass', 'envelope/schema': 'pass', 'robustness/unknown-message': 'pass' });
  });

  it("answers the graphql-transport-ws opening and operations with the request's id", async () => {
    const doc = join(ROOT, 'examples', 'graphql-transport-ws.asyncapi.yaml');
    server = await startReferenceServer({ protocol: doc, port: 0, instant: true });
    const report = await runSuite(await loadSpec(doc), CHECKS, { url: server.url, timeoutMs: 1000, observeMs: 500, only: ['handshake/opening', 'ordering/operations', 'ping-pong/app-ping', 'envelope'] });
    expect(report.checks.filter((c) => c.verdict !== 'pass' && c.verdict !== 'skip').map((c) => [c.id, c.findings.map((f) => f.message)])).toEqual([]);
    expect(verdicts(report)).toMatchObject({ 'handshake/opening': 'pass', 'ordering/operations': 'pass' });
  });
});

/**
 * `wsconform/vitest`: the suite as vitest tests. Here, against a clean reference server started in
 * this file's own beforeAll; then a user's project (a temporary folder inside the repo importing
 * `wsconform/vitest` and `wsconform/reference-server`, i.e. dist/, built by `npm test`'s pretest)
 * run by a child vitest against a faulted server.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../conformance/index.js';
import { startReferenceServer } from '../../reference-server/index.js';
import { CLIENT_CHECK_IDS, checksFor } from '../../src/judge/client.js';
import { loadSpec } from '../../src/spec/load.js';
import { clientConformanceSuite, conformanceSuite } from '../../src/vitest/index.js';
import { ROOT } from '../helpers.js';

let server: Awaited<ReturnType<typeof startReferenceServer>>;
beforeAll(async () => {
  server = await startReferenceServer({ protocol: 'kiwi', port: 0, instant: true });
});
afterAll(() => server?.close());

// One test per check, named by its id; the url is read once the server above is listening.
conformanceSuite({ protocol: 'kiwi', url: () => server.url, timeoutMs: 1000, observeMs: 400 });

const PROJECT_TEST = `import { afterAll, beforeAll } from 'vitest';
import { startReferenceServer } from 'wsconform/reference-server';
import { conformanceSuite } from 'wsconform/vitest';

let server;
beforeAll(async () => {
  server = await startReferenceServer({ protocol: 'kiwi', port: 0, instant: true, faults: ['timestamp-iso'] });
});
afterAll(() => server?.close());

conformanceSuite({ protocol: 'kiwi', url: () => server.url, timeoutMs: 1000, observeMs: 400, skip: ['robustness'] });
`;

// A client's suite: the judge serves the ticker document and starts a conforming client.
clientConformanceSuite({
  protocol: join(ROOT, 'test/judge/documents/ticker.asyncapi.yaml'),
  exec: `"${process.execPath}" "${join(ROOT, 'test/clients/ticker-client.mjs')}" good`,
  port: 0,
  waitMs: 10_000,
  listenMs: 1200,
  timeoutMs: 1500,
});

it('clientConformanceSuite registers every client check the judge reports, in its order', async () => {
  expect([...CLIENT_CHECK_IDS]).toEqual(checksFor(await loadSpec('clown'), undefined).map((c) => c.id));
});

const CLIENT_PROJECT_TEST = (client: string) => `import { clientConformanceSuite } from 'wsconform/vitest';

clientConformanceSuite({ protocol: 'gemini-chat', exec: ${JSON.stringify(`"${process.execPath}" "${client}" stale-callid`)}, port: 0, listenMs: 1200, timeoutMs: 1500 });
`;

interface JsonAssertion {
  title: string;
  fullName: string;
  status: string;
  failureMessages: string[];
}

/** Runs vitest in a child process on a folder; resolves with its exit code and JSON results. */
function vitestIn(dir: string): Promise<{ code: number | null; stderr: string; tests: JsonAssertion[] }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITEST') && k !== 'NODE_OPTIONS' && k !== 'TEST') env[k] = v;
  const out = join(dir, 'results.json');
  const args = [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir, '--config', join(dir, 'vitest.config.mjs'), '--reporter=json', `--outputFile=${out}`];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const results = JSON.parse(readFileSync(out, 'utf8')) as { testResults: { assertionResults: JsonAssertion[] }[] };
      resolve({ code, stderr, tests: results.testResults.flatMap((f) => f.assertionResults) });
    });
  });
}

describe('conformanceSuite in a user project', () => {
  const tmp = join(ROOT, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const dir = mkdtempSync(join(tmp, 'vitest-project-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails the tests of the checks a fault breaks, with requirement, expected and actual in the message', async () => {
    writeFileSync(join(dir, 'vitest.config.mjs'), "export default { test: { include: ['*.test.mjs'] } };\n");
    writeFileSync(join(dir, 'conformance.test.mjs'), PROJECT_TEST);
    const { code, stderr, tests } = await vitestIn(dir);
    expect(code, stderr).toBe(1);
    const ran = CHECKS.filter((c) => c.category !== 'robustness');
    expect(tests.map((t) => t.fullName)).toEqual(ran.map((c) => `wsconform kiwi ${c.id}`));
    expect(tests.filter((t) => t.status === 'failed').map((t) => t.title)).toEqual(['envelope/timestamps']);
    expect(tests.filter((t) => t.status === 'passed')).toHaveLength(9);
    expect(tests.filter((t) => t.status === 'skipped')).toHaveLength(19);
    const [message] = tests.find((t) => t.title === 'envelope/timestamps')!.failureMessages;
    expect(message.split('\n').slice(0, 7)).toEqual([
      'ConformanceFailure: envelope/timestamps failed: timestamp is an ISO 8601 string, not epoch seconds as a number',
      'envelope/timestamps (MUST, fail)',
      '  Requirement: Every timestamp field uses the documented representation (epoch seconds, epoch milliseconds or ISO 8601), and a drift is named precisely.',
      // The quote is the tested document's own sentence (Kiwi's), never another document's.
      '  Quote:       "`timestamp` | float | Unix timestamp" (Event Format)',
      '  - timestamp is an ISO 8601 string, not epoch seconds as a number (30 times)',
      '    Expected: epoch seconds as a number (e.g. 1709000000.0)',
      '    Actual:   an ISO 8601 string "2024-02-27T02:13:20Z"',
    ]);
  }, 90_000);

  it('clientConformanceSuite fails the test of the check a broken client fails, and only it', async () => {
    const cdir = mkdtempSync(join(tmp, 'vitest-client-project-'));
    try {
      writeFileSync(join(cdir, 'vitest.config.mjs'), "export default { test: { include: ['*.test.mjs'] } };\n");
      writeFileSync(join(cdir, 'client.test.mjs'), CLIENT_PROJECT_TEST(join(ROOT, 'test/clients/gemini-client.mjs')));
      const { code, stderr, tests } = await vitestIn(cdir);
      expect(code, stderr).toBe(1);
      expect(tests.map((t) => t.title)).toEqual(['the client connected', ...CLIENT_CHECK_IDS]);
      expect(tests.filter((t) => t.status === 'failed').map((t) => t.title)).toEqual(['client/answers']);
      expect(tests.find((t) => t.title === 'client/answers')!.failureMessages[0]).toContain("client/answers failed: The client's tool:approve names no gemini:tool-request it was sent");
    } finally {
      rmSync(cdir, { recursive: true, force: true });
    }
  }, 90_000);
});

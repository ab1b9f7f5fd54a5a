/**
 * `wsconform demo`: the project's main job. Starts the reference server for every built-in
 * protocol in-process (127.0.0.1, a free port, instant stream, demo tokens, short keepalive),
 * runs the whole suite against each in parallel and prints each protocol's progress and summary.
 */
import { CHECKS } from '../../conformance/index.js';
import { startReferenceServer } from '../../reference-server/index.js';
import { pretty } from '../reporters/pretty.js';
import type { Reporter } from '../reporters/types.js';
import { exitCodeOf, runSuite, splitList, summarize } from '../runner/index.js';
import type { RunReport } from '../runner/types.js';
import { loadSpec } from '../spec/load.js';
import { BUILTIN_PROTOCOLS, isBuiltin } from '../spec/paths.js';
import type { CommandImpl } from './commands.js';
import { UsageError } from './main.js';
import { summaryLine } from '../reporters/pretty.js';

/** The settings the demo runs with: short waits suit an in-process server. */
export const DEMO = {
  token: 'demo-user-token',
  adminToken: 'demo-admin-token',
  // Keepalive pings every 500 ms, judged over an observation of 1.2 s: the tolerance (interval +
  // the scaled timeout, 750 ms for Coda) leaves a loaded event loop room that 200 ms did not.
  keepaliveIntervalMs: 500,
  // Only a failing wait lasts this long; a conforming server answers at once. Generous, so that
  // a loaded machine does not turn a slow handshake into a failure.
  timeoutMs: 2000,
  observeMs: 1200,
} as const;

/** Runs the suite against a fresh reference server of one protocol; the output is buffered. */
export async function demoProtocol(protocol: string, options: { strict?: boolean; quiet?: boolean; faults?: string[] } = {}): Promise<{ report: RunReport; output: string }> {
  const spec = await loadSpec(protocol);
  const server = await startReferenceServer({
    protocol,
    host: '127.0.0.1',
    port: 0,
    instant: true,
    token: DEMO.token,
    adminToken: DEMO.adminToken,
    keepaliveIntervalMs: DEMO.keepaliveIntervalMs,
    faults: options.faults,
  });
  let output = '';
  const out = { write: (t: string) => void (output += t), isTTY: false };
  const base = pretty(out);
  // With --quiet, only the checks that did not pass or skip get a progress line.
  const reporter: Reporter = {
    ...base,
    onCheckResult: (r) => (!options.quiet || (r.verdict !== 'pass' && r.verdict !== 'skip') ? base.onCheckResult?.(r) : undefined),
  };
  try {
    const report = await runSuite(spec, CHECKS, {
      url: server.url,
      token: DEMO.token,
      adminToken: DEMO.adminToken,
      keepaliveIntervalMs: DEMO.keepaliveIntervalMs,
      timeoutMs: DEMO.timeoutMs,
      observeMs: DEMO.observeMs,
      strict: options.strict,
      reporters: [reporter],
    });
    return { report, output };
  } finally {
    await server.close();
  }
}

const impl: CommandImpl = async ({ opts, io }) => {
  const t0 = performance.now();
  const chosen = splitList(opts.protocol as string[] | undefined);
  for (const p of chosen) if (!isBuiltin(p)) throw new UsageError(`"${p}" is not a built-in protocol (${BUILTIN_PROTOCOLS.join(', ')})`);
  const protocols = chosen.length ? chosen : [...BUILTIN_PROTOCOLS];
  const runs = protocols.map((p) =>
    demoProtocol(p, { strict: !!opts.strict, quiet: !!opts.quiet }).then(
      (ok) => ({ ok: true as const, ...ok }),
      (err: Error) => ({ ok: false as const, error: `${p}: cannot run the reference server: ${err.message}` }),
    ),
  );
  const reports: RunReport[] = [];
  const broken: string[] = [];
  // Print each protocol as soon as it and the ones before it are done.
  for (const run of runs) {
    const r = await run;
    if (!r.ok) {
      broken.push(r.error);
      io.err.write(`wsconform demo: ${r.error}\n`);
      continue;
    }
    reports.push(r.report);
    io.out.write(r.output + '\n');
  }
  const all = summarize(reports.flatMap((r) => r.checks));
  const failing = reports.filter((r) => exitCodeOf(r) !== 0).map((r) => r.spec.id);
  io.out.write(`demo: ${protocols.length} protocols, ${summaryLine(all)} in ${((performance.now() - t0) / 1000).toFixed(2)} s\n`);
  if (failing.length) io.out.write(`demo: failures in ${failing.join(', ')}\n`);
  if (broken.length) return 2;
  return failing.length ? 1 : 0;
};

export default impl;

/** `wsconform judge-client <protocol|doc>`: the reference server judges a client (src/judge/client.ts). */
import { createReporters } from '../reporters/index.js';
import { exitCodeOf } from '../runner/index.js';
import { judgeClient } from '../judge/client.js';
import { loadSpec } from '../spec/load.js';
import type { CommandImpl } from './commands.js';
import { UsageError } from './main.js';
import { msOption, reporterSpecs } from './run.js';

const impl: CommandImpl = async ({ args, opts, io }) => {
  const [ref] = args as [string];
  const spec = await loadSpec(ref);
  let port: number | undefined;
  if (opts.port !== undefined) {
    port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number from 0 to 65535, got "${String(opts.port)}"`);
  }
  const specs = reporterSpecs(opts.reporter);
  let out;
  try {
    out = createReporters(specs, { write: (t) => void io.out.write(t), isTTY: (io.out as { isTTY?: boolean }).isTTY });
  } catch (err) {
    throw new UsageError(`cannot write the report: ${(err as Error).message}`);
  }
  try {
    const report = await judgeClient(spec, {
      port,
      exec: opts.exec as string | undefined,
      waitMs: msOption(opts.wait, '--wait'),
      listenMs: msOption(opts.listen, '--listen'),
      timeoutMs: msOption(opts.timeout, '--timeout'),
      refuseMs: msOption(opts.refuse, '--refuse'),
      reconnectMs: msOption(opts.reconnectWait, '--reconnect-wait'),
      token: opts.token as string | undefined,
      adminToken: opts.adminToken as string | undefined,
      strict: !!opts.strict,
      reporters: out.reporters,
    });
    for (const p of report.problems ?? []) io.err.write(`wsconform: ${p}\n`);
    return exitCodeOf(report);
  } finally {
    await out.close();
  }
};

export default impl;

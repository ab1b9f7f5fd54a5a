/**
 * `wsconform serve <protocol|asyncapi-file>`: runs the reference server until SIGINT/SIGTERM,
 * which close every connection cleanly (WebSocket close 1001) and exit 0.
 */
import { basename } from 'node:path';
import { loadSpec } from '../spec/load.js';
import { FAULTS, ReferenceServerError, applicableFaults, startReferenceServer, type ReferenceServerOptions } from '../../reference-server/index.js';
import type { CommandImpl } from './commands.js';

function number(name: string, value: unknown, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new ReferenceServerError('WSC_OPTION', `${name} must be ${integer ? 'an integer' : 'a number'}, got "${String(value)}"`);
  }
  return n;
}

/** The fault table of `--list-faults`: the name and what it breaks, then its protocols and checks. */
export function faultTable(names?: string[]): string {
  const rows = FAULTS.filter((f) => !names || names.includes(f.name));
  const width = Math.max(...FAULTS.map((f) => f.name.length));
  return rows.map((f) => `${f.name.padEnd(width)}  ${f.description}\n${' '.repeat(width)}  protocols: ${f.protocols.join(', ') || '(none built in)'}; fails: ${f.catches.join(', ')}\n`).join('');
}

const impl: CommandImpl = async ({ args, opts, io }) => {
  const [ref] = args;
  if (opts.listFaults) {
    const spec = ref ? await loadSpec(ref) : undefined;
    io.out.write(faultTable(spec ? applicableFaults(spec) : undefined));
    return 0;
  }
  if (!ref) {
    io.err.write('wsconform: serve needs a protocol: kiwi, clown, coda, aragora, aragora-control-plane, gemini-chat, or an AsyncAPI file\n(run with --help for usage)\n');
    return 2;
  }
  if (opts.instant && opts.speed !== undefined) throw new ReferenceServerError('WSC_OPTION', 'give --speed or --instant, not both');
  const options: ReferenceServerOptions = {
    protocol: ref,
    host: opts.host as string | undefined,
    port: number('--port', opts.port, true),
    fixture: opts.fixture as string | undefined,
    seed: number('--seed', opts.seed, true),
    token: opts.token as string | undefined,
    adminToken: opts.adminToken as string | undefined,
    jwtSecret: opts.jwtSecret as string | undefined,
    faults: (opts.fault as string[] | undefined) ?? [],
  };
  if (opts.instant) options.instant = true;
  else options.speed = number('--speed', opts.speed, false) ?? 1;
  const server = await startReferenceServer(options);
  // Handlers first, then the line: a supervisor may signal as soon as it reads it.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  const pace = options.instant ? 'instant' : `speed ${options.speed}`;
  const faults = options.faults!.length ? `, fault ${options.faults!.join(', ')}` : '';
  io.out.write(`Serving ${server.protocol} at ${server.urls.join(' ')} (${pace}, seed ${options.seed ?? 1}${options.fixture ? `, fixture ${basename(options.fixture)}` : ''}${faults}; Ctrl-C to stop)\n`);
  await stopped;
  await server.close();
  return 0;
};

export default impl;

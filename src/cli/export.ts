/**
 * `wsconform export artillery <protocol|doc>`: an Artillery script that loads a server the way the
 * document says clients use it. Three files in --out: the script (`<id>.artillery.yml`, Artillery's
 * `ws` or `socketio` engine), its processor (`<id>.processor.cjs`, which calls the kit's runtime,
 * src/export/artillery-runtime.ts) and the document, self-contained (`<id>.asyncapi.yaml`), so the
 * folder runs as it is on `artillery run` and on Artillery's distributed runners. Artillery itself
 * is not a dependency of the kit.
 */
import { writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { loadSpec } from '../spec/load.js';
import { isBuiltin, specFile } from '../spec/paths.js';
import type { Spec } from '../spec/model.js';
import { resolveTargets } from '../runner/target.js';
import { DEFAULT_TIMEOUT_MS } from '../runner/run.js';
import type { CommandImpl } from './commands.js';
import { bundle } from './init.js';
import { UsageError } from './main.js';
import { outputDir } from './output.js';
import { msOption } from './run.js';

/** What the export writes, and how the load is shaped. */
export interface ArtilleryExport {
  spec: Spec;
  id: string;
  /** The server under load (WebSocket: its ws:// URL; Socket.IO: its http:// origin and namespace path). */
  url: string;
  durationS: number;
  arrivalRate: number;
  pings: number;
  thinkS: number;
  timeoutMs: number;
  tokenEnv: string;
  adminTokenEnv: string;
}

/** The script, as an object (written as YAML). */
export function artilleryScript(e: ArtilleryExport): Record<string, unknown> {
  const { spec } = e;
  const { primary } = resolveTargets(spec, e.url);
  const socketio = spec.transport === 'socket.io';
  const ping = spec.ext.keepalive?.appPing;
  const flow: unknown[] = [];
  if (!socketio) flow.push({ connect: { function: 'wsconformConnect' } });
  flow.push({ function: 'wsconformStart' }, { function: 'wsconformTriggers' });
  // With an application ping, each user pings every `think` seconds and waits for each pong;
  // without one, it listens as long (every message it receives is validated).
  if (ping) flow.push({ loop: [{ function: 'wsconformPing' }, { think: e.thinkS }], count: e.pings });
  else flow.push({ think: e.thinkS * e.pings });
  return {
    config: {
      target: primary.url,
      phases: [{ name: `${e.id}: ${e.arrivalRate} new clients per second for ${e.durationS} s`, duration: e.durationS, arrivalRate: e.arrivalRate }],
      processor: `./${e.id}.processor.cjs`,
      // The engine's own timeout (seconds) for the steps it runs itself.
      ...(socketio ? { socketio: socketioOptions(e) } : { ws: { timeout: Math.ceil(e.timeoutMs / 1000) } }),
    },
    scenarios: [
      {
        name: `${e.id}: ${[spec.ext.opening?.steps.length ? 'opening' : '', spec.ext.triggers?.length ? 'triggers' : '', ping ? `${e.pings} pings` : `${e.thinkS * e.pings} s listening`].filter(Boolean).join(', ')}`,
        engine: socketio ? 'socketio' : 'ws',
        flow,
      },
    ],
  };
}

/**
 * The socketio engine's connection options: WebSocket transport, and the token as the document
 * presents it, read from the environment when the script runs (an Artillery template).
 */
function socketioOptions(e: ArtilleryExport): Record<string, unknown> {
  const how = e.spec.ext.auth?.means[0];
  const token = `{{ $processEnvironment.${e.tokenEnv} }}`;
  const name = how?.name ?? 'token';
  const options: Record<string, unknown> = { transports: ['websocket'] };
  if (how?.in === 'socketio-auth') options.auth = { [name]: token };
  else if (how?.in === 'query') options.query = { [name]: token };
  else if (how?.in === 'bearer-header') options.extraHeaders = { Authorization: `Bearer ${token}` };
  return options;
}

/** The processor: the kit's runtime for the document next to it, loaded once per Artillery worker. */
export function processorSource(e: ArtilleryExport): string {
  const { primary } = resolveTargets(e.spec, e.url);
  const options = { timeoutMs: e.timeoutMs, tokenEnv: e.tokenEnv, adminTokenEnv: e.adminTokenEnv, ...(e.spec.transport === 'socket.io' ? { namespace: primary.address } : {}) };
  return `// Written by \`wsconform export artillery\` for ${e.id}: the steps of ${e.id}.artillery.yml, run by the
// kit's runtime (wsconform/artillery) against the document next to this file. Tokens come from the
// environment (${e.tokenEnv}, ${e.adminTokenEnv}), never from this file. Regenerate rather than edit.
'use strict';
const { join } = require('node:path');

let runtime;
const load = () => (runtime ??= import('wsconform/artillery').then((m) => m.processor(join(__dirname, ${JSON.stringify(`${e.id}.asyncapi.yaml`)}), ${JSON.stringify(options)})));
const step = (name) => async (context, events) => (await load())[name](context, events);

module.exports = {
  wsconformConnect: (wsArgs, context, done) => load().then((r) => r.wsconformConnect(wsArgs, context, done), done),
  wsconformStart: step('wsconformStart'),
  wsconformTriggers: step('wsconformTriggers'),
  wsconformPing: step('wsconformPing'),
};
`;
}

const impl: CommandImpl = async ({ args, opts, io }) => {
  const [target, ref] = args as [string, string];
  if (target !== 'artillery') throw new UsageError(`export: unknown target "${target}" (the one target is artillery)`);
  const spec = await loadSpec(ref);
  const source = specFile(ref);
  const id = isBuiltin(ref) ? ref : basename(source).replace(/\.(asyncapi\.)?(ya?ml|json)$/i, '');
  const url = String(opts.url ?? spec.servers[0]?.url ?? '');
  if (!url) throw new UsageError(`export: ${id} names no server: give --url`);
  try {
    new URL(url);
  } catch {
    throw new UsageError(`export: --url ${JSON.stringify(url)} is not a URL`);
  }
  const number = (v: unknown, flag: string, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`export: ${flag} must be a whole number of at least ${min} (got ${JSON.stringify(v)})`);
    return n;
  };
  const e: ArtilleryExport = {
    spec,
    id,
    url,
    durationS: Math.max(1, Math.round((msOption(opts.duration, '--duration') ?? 60_000) / 1000)),
    arrivalRate: number(opts.arrivalRate ?? 5, '--arrival-rate', 1),
    pings: number(opts.pings ?? 10, '--pings', 0),
    thinkS: Math.max(1, Math.round((msOption(opts.every, '--every') ?? 1000) / 1000)),
    timeoutMs: msOption(opts.timeout, '--timeout') ?? DEFAULT_TIMEOUT_MS,
    tokenEnv: String(opts.tokenEnv ?? 'WSCONFORM_TOKEN'),
    adminTokenEnv: String(opts.adminTokenEnv ?? 'WSCONFORM_ADMIN_TOKEN'),
  };
  if (spec.transport === 'socket.io' && spec.ext.keepalive?.appPing === undefined && !spec.ext.triggers?.length && !spec.ext.opening?.steps.length) {
    io.err.write(`export: ${id} documents no request a client sends: its users only connect and listen\n`);
  }
  const out = resolve(String(opts.out ?? 'artillery'));
  outputDir(out, '--out');
  const script = join(out, `${id}.artillery.yml`);
  const header = `# Written by \`wsconform export artillery ${ref}\`: ${spec.title} ${spec.version}.\n# Run: npx artillery run ${id}.artillery.yml   (tokens: ${e.tokenEnv}=… ${e.adminTokenEnv}=…)\n# The processor needs the wsconform package installed next to this folder (npm install wsconform).\n`;
  writeFileSync(script, header + stringify(artilleryScript(e), { lineWidth: 0 }));
  writeFileSync(join(out, `${id}.processor.cjs`), processorSource(e));
  const { doc } = bundle(source);
  writeFileSync(join(out, `${id}.asyncapi.yaml`), `# ${id}: the document the processor loads (self-contained copy, written by wsconform export artillery).\n` + stringify(doc, { lineWidth: 0 }));
  io.out.write(`export: ${id} → ${script} (with ${id}.processor.cjs and ${id}.asyncapi.yaml)\n  run it:  cd ${out} && npx artillery run ${id}.artillery.yml\n`);
  return 0;
};

export default impl;

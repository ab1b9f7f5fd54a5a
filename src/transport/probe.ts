/** Reachability: whether anything accepts TCP connections at a URL's host and port. */
import { lookup } from 'node:dns/promises';
import { connect } from 'node:net';

/** The outcome of a probe: reachable, or why not at every address. */
export type ProbeResult = { reachable: true; address: string } | { reachable: false; detail: string };

function tryAddress(host: string, port: number, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, autoSelectFamily: false });
    const done = (error: string | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(error);
    };
    // A silent host is "reachable" for this purpose: the checks will time out and fail.
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.once('connect', () => done(null));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

/**
 * Tries every address the URL's host resolves to. Unreachable only when every address refuses
 * (or the name does not resolve): a server that accepts TCP and never answers is reachable.
 */
export async function probe(url: string, timeoutMs = 2000): Promise<ProbeResult> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { reachable: false, detail: `not a URL: ${url}` };
  }
  const secure = u.protocol === 'wss:' || u.protocol === 'https:';
  const port = Number(u.port || (secure ? 443 : 80));
  const host = u.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = (await lookup(host, { all: true })).map((a) => a.address);
  } catch (err) {
    return { reachable: false, detail: `cannot resolve ${host} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  const errors: string[] = [];
  for (const address of addresses) {
    const error = await tryAddress(address, port, timeoutMs);
    if (error === null) return { reachable: true, address };
    errors.push(`${address}:${port} ${error}`);
  }
  return { reachable: false, detail: `no server at ${u.host} (${errors.join('; ')})` };
}

/** Where the checks connect: the channel URLs of the server under test, and how tokens travel. */
import type { AuthMeans } from '../spec/extension.js';
import type { Spec } from '../spec/model.js';
import type { ConnectOptions } from '../transport/types.js';
import type { ChannelTarget, Credential, RunSettings } from './types.js';

/**
 * The primary channel and every channel of the server at `url`. The URL given is the URL tested,
 * path included: it is the primary channel, and the other documented channels are derived from
 * it (same origin and query; a path prefix before a documented address, e.g. behind a proxy, is
 * kept for the others). A URL without a path stands for the first documented channel. The
 * primary comes first in `channels`.
 */
export function resolveTargets(spec: Spec, url: string): { primary: ChannelTarget; channels: ChannelTarget[] } {
  const u = new URL(url);
  const socketio = spec.transport === 'socket.io';
  if (!socketio && (u.protocol === 'http:' || u.protocol === 'https:')) u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  const origin = `${u.protocol}//${u.host}`;
  const path = u.pathname || '/';
  const addresses = spec.channels.map((c) => c.address);
  const hasPath = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*\//i.test(url);
  if (socketio) {
    // Socket.IO: the URL's path names the namespace; every namespace shares the origin.
    const at = `${origin}${u.search}`;
    const address = hasPath && path !== '/' ? path : (addresses.includes(path) ? path : (addresses[0] ?? '/'));
    const primary = { address, url: at };
    return { primary, channels: [primary, ...addresses.filter((a) => a !== address).map((a) => ({ address: a, url: at }))] };
  }
  let prefix = '';
  let address: string;
  if (!hasPath) address = addresses[0] ?? '/';
  else if (addresses.includes(path)) address = path;
  else {
    const suffix = addresses.filter((a) => a !== '/' && path.endsWith(a)).sort((a, b) => b.length - a.length)[0];
    if (suffix) {
      prefix = path.slice(0, -suffix.length);
      address = suffix;
    } else address = path;
  }
  const urlOf = (a: string) => `${origin}${prefix}${a === '/' && prefix ? '/' : a}${u.search}`;
  const primary = { address, url: hasPath ? u.toString() : urlOf(address) };
  return { primary, channels: [primary, ...addresses.filter((a) => a !== address).map((a) => ({ address: a, url: urlOf(a) }))] };
}

/** The token a credential stands for, under the run's settings. */
export function tokenOf(credential: Credential, settings: RunSettings): string | undefined {
  if (typeof credential === 'object') return credential.token;
  if (credential === 'best') return settings.adminToken ?? settings.token;
  if (credential === 'admin') return settings.adminToken;
  if (credential === 'user') return settings.token;
  return undefined;
}

/** The connect options that present `token` by `means` (default: the document's first means). */
export function presentToken(spec: Spec, token: string | undefined, means?: AuthMeans): Pick<ConnectOptions, 'headers' | 'query' | 'auth'> & { openingPayload?: { path: string; token: string } } {
  const how = means ?? spec.ext.auth?.means[0];
  if (!token || !how) return {};
  const name = how.name ?? 'token';
  switch (how.in) {
    case 'bearer-header':
      return { headers: { Authorization: `Bearer ${token}` } };
    case 'query':
      return { query: { [name]: token } };
    case 'socketio-auth':
      return { auth: { [name]: token } };
    case 'opening-payload':
      return { openingPayload: { path: name, token } };
  }
}

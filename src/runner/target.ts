/** Where the checks connect: the channel URLs of the server under test, and how tokens travel. */
import type { AuthMeans } from '../spec/extension.js';
import type { Spec } from '../spec/model.js';
import type { ConnectOptions } from '../transport/types.js';
import type { ChannelTarget, Credential, RunSettings } from './types.js';

/** The primary channel and every documented channel of the server at `url`. */
export function resolveTargets(spec: Spec, url: string): { primary: ChannelTarget; channels: ChannelTarget[] } {
  const u = new URL(url);
  const socketio = spec.transport === 'socket.io';
  if (!socketio && (u.protocol === 'http:' || u.protocol === 'https:')) u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  const origin = `${u.protocol}//${u.host}`;
  const path = u.pathname || '/';
  const addresses = spec.channels.map((c) => c.address);
  const urlOf = (address: string) => (socketio ? `${origin}${u.search}` : `${origin}${address}${u.search}`);
  const channels = addresses.map((address) => ({ address, url: urlOf(address) }));
  if (!channels.length) channels.push({ address: path, url: socketio ? `${origin}${u.search}` : u.toString() });
  let primary = channels.find((c) => c.address === path);
  if (!primary) {
    primary = path === '/' ? channels[0] : { address: path, url: socketio ? `${origin}${u.search}` : u.toString() };
  }
  return { primary, channels };
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
export function presentToken(spec: Spec, token: string | undefined, means?: AuthMeans): Pick<ConnectOptions, 'headers' | 'query' | 'auth'> {
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
  }
}

/**
 * Reads the token a client presents (bearer header, query parameter, Socket.IO handshake `auth`)
 * and decides its auth state from the document's auth rule and the configured tokens.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { jwtVerify } from 'jose';
import type { Spec } from '../src/spec/model.js';
import type { AuthState } from './connection.js';
import type { FaultSet } from './faults.js';

/** Configured tokens. */
export interface Tokens {
  token?: string;
  adminToken?: string;
  /** HS256 secret: a JWT that verifies is a valid token; `role: "admin"` makes it an admin token. */
  jwtSecret?: string;
}

/** The role a JWT grants: `admin`, `user`, or undefined when it does not verify. */
async function jwtRole(token: string, secret: string): Promise<'admin' | 'user' | undefined> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'] });
    return payload.role === 'admin' ? 'admin' : 'user';
  } catch {
    return undefined;
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The auth state for the tokens a client presented. Without an auth rule, or without a configured
 * token, the server is open: nobody is `authenticated`, everybody may write (aragora's documented
 * default when ARAGORA_API_TOKEN is unset).
 */
export async function authState(spec: Spec, presented: string[], tokens: Tokens, faults: FaultSet): Promise<AuthState> {
  const roles = tokens.jwtSecret ? await Promise.all(presented.map((p) => jwtRole(p, tokens.jwtSecret!))) : [];
  return decide(spec, presented, tokens, faults, roles);
}

/**
 * The auth state of a token carried in the opening's payload (`auth.means: opening-payload`),
 * decided at once, so that the messages after the opening see it: literal tokens only (a JWT
 * there is not verified).
 */
export function openingAuthState(spec: Spec, presented: string[], tokens: Tokens, faults: FaultSet): AuthState {
  return decide(spec, presented, tokens, faults, []);
}

function decide(spec: Spec, presented: string[], tokens: Tokens, faults: FaultSet, roles: ('admin' | 'user' | undefined)[]): AuthState {
  const first = presented[0];
  if (!spec.ext.auth || (!tokens.token && !tokens.adminToken && !tokens.jwtSecret)) {
    return { token: 'none', presented: first, authenticated: false, write: true, admin: false };
  }
  const admin = (!!tokens.adminToken && presented.some((p) => same(p, tokens.adminToken!))) || roles.includes('admin');
  const user = admin || (!!tokens.token && presented.some((p) => same(p, tokens.token!))) || roles.includes('user');
  const valid = user || (presented.length > 0 ? faults.has('accept-bad-token') : faults.has('accept-missing-token'));
  if (valid) return { token: 'valid', presented: first, authenticated: true, write: true, admin };
  return { token: presented.length ? 'wrong' : 'none', presented: first, authenticated: false, write: false, admin: false };
}

/** Tokens presented on a WebSocket upgrade, by the means the document allows. */
export function upgradeTokens(spec: Spec, req: IncomingMessage, url: URL, faults: FaultSet): string[] {
  const out: string[] = [];
  for (const means of spec.ext.auth?.means ?? []) {
    if (means.in === 'bearer-header') {
      const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
      if (m) out.push(m[1].trim());
    } else if (means.in === 'query' && !faults.has('ignore-query-token')) {
      const v = url.searchParams.get(means.name ?? 'token');
      if (v) out.push(v);
    }
  }
  return out;
}

/** The token of a Socket.IO handshake `auth` object. */
export function handshakeTokens(spec: Spec, auth: unknown): string[] {
  const out: string[] = [];
  for (const means of spec.ext.auth?.means ?? []) {
    if (means.in !== 'socketio-auth') continue;
    const v = auth && typeof auth === 'object' ? (auth as Record<string, unknown>)[means.name ?? 'token'] : undefined;
    if (typeof v === 'string' && v) out.push(v);
  }
  return out;
}

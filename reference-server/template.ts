/**
 * Frame templates: fixture frames with `${...}` markers for the fields the server assigns
 * (timestamps, sequence numbers, ids, running concatenations, request fields). A template is
 * compiled once when the fixture loads; rendering builds only the parts that hold markers.
 *
 * A string that is exactly one marker is replaced by a typed value (`"${seq}"` -> 42); markers
 * inside a longer string are interpolated (`"call_${id:c1}"`). `$${` writes a literal `${`.
 */
import type { TimestampFormat } from './clock.js';

/** A path inside a frame: object keys and array indices. */
export type FramePath = (string | number)[];

/** One parsed marker. */
export type Marker =
  | { kind: 'timestamp'; offsetMs: number; format?: TimestampFormat }
  | { kind: 'id'; name: string }
  | { kind: 'accumulated' }
  | { kind: 'lookup'; root: LookupRoot; path: string[] }
  | { kind: 'sequence'; field: string };

/** Where a lookup marker reads from. */
export type LookupRoot = 'request' | 'auth' | 'vars' | 'conn';

/** A marker whose value is only known once the rest of the frame is rendered, in send order. */
export interface Deferred {
  path: FramePath;
  marker: Extract<Marker, { kind: 'sequence' } | { kind: 'accumulated' }>;
}

/** What a render needs from the connection. */
export interface RenderScope {
  timestamp(offsetMs: number, format: TimestampFormat | undefined, path: FramePath): unknown;
  id(name: string): string;
  lookup(root: LookupRoot, path: string[]): unknown;
}

/** A compiled frame template. */
export interface Template {
  /** The template as written. */
  source: unknown;
  /** Whether any marker is present. */
  dynamic: boolean;
  /** Every marker, for checks at load time. */
  markers: Marker[];
  /** Renders a fresh frame (constant subtrees are shared: copy before mutating them). */
  render(scope: RenderScope): { frame: unknown; deferred: Deferred[] };
}

const MARKER = /\$\$\{|\$\{([^}]*)\}/g;
const FORMATS = new Set(['iso-8601', 'epoch-seconds', 'epoch-millis']);
const ROOTS = new Set(['request', 'auth', 'vars', 'conn']);

/** Parses the text between `${` and `}`. Throws with a message naming the marker. */
export function parseMarker(text: string): Marker {
  const ts = /^timestamp(?:([+-]\d+))?(?::([a-z0-9-]+))?$/.exec(text);
  if (ts) {
    if (ts[2] && !FORMATS.has(ts[2])) throw new Error(`marker \${${text}}: unknown timestamp format "${ts[2]}" (iso-8601, epoch-seconds, epoch-millis)`);
    return { kind: 'timestamp', offsetMs: ts[1] ? Number(ts[1]) : 0, format: ts[2] as TimestampFormat | undefined };
  }
  const id = /^id:([\w.-]+)$/.exec(text);
  if (id) return { kind: 'id', name: id[1] };
  if (text === 'accumulated') return { kind: 'accumulated' };
  const dot = text.indexOf('.');
  if (dot > 0 && ROOTS.has(text.slice(0, dot))) {
    return { kind: 'lookup', root: text.slice(0, dot) as LookupRoot, path: text.slice(dot + 1).split('.') };
  }
  if (ROOTS.has(text)) return { kind: 'lookup', root: text as LookupRoot, path: [] };
  if (/^[A-Za-z_]\w*$/.test(text)) return { kind: 'sequence', field: text };
  throw new Error(`unknown marker \${${text}} (timestamp[+ms][:format], id:NAME, accumulated, request.PATH, auth.PATH, vars.PATH, conn.PATH, or a sequence field such as seq)`);
}

type Node = { dynamic: false; value: unknown } | { dynamic: true; fn: (scope: RenderScope, deferred: Deferred[], path: FramePath) => unknown };

/** Compiles a frame template. Throws on a malformed marker. */
export function compileTemplate(source: unknown): Template {
  const markers: Marker[] = [];
  const root = compileNode(source, markers);
  return {
    source,
    dynamic: root.dynamic,
    markers,
    render(scope) {
      const deferred: Deferred[] = [];
      const frame = root.dynamic ? root.fn(scope, deferred, []) : root.value;
      return { frame, deferred };
    },
  };
}

function compileNode(value: unknown, markers: Marker[]): Node {
  if (typeof value === 'string') return compileString(value, markers);
  if (Array.isArray(value)) {
    const items = value.map((v) => compileNode(v, markers));
    if (!items.some((i) => i.dynamic)) return { dynamic: false, value };
    return {
      dynamic: true,
      fn: (scope, deferred, path) =>
        items.map((item, i) => (item.dynamic ? item.fn(scope, deferred, [...path, i]) : item.value)),
    };
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, compileNode(v, markers)] as const);
    if (!entries.some(([, n]) => n.dynamic)) return { dynamic: false, value };
    return {
      dynamic: true,
      fn: (scope, deferred, path) => {
        const out: Record<string, unknown> = {};
        for (const [k, n] of entries) {
          const v = n.dynamic ? n.fn(scope, deferred, [...path, k]) : n.value;
          if (v !== undefined) out[k] = v;
        }
        return out;
      },
    };
  }
  return { dynamic: false, value };
}

function compileString(text: string, markers: Marker[]): Node {
  if (!text.includes('${')) return { dynamic: false, value: text };
  const parts: (string | Marker)[] = [];
  let last = 0;
  for (const m of text.matchAll(MARKER)) {
    const literal = text.slice(last, m.index);
    if (m[0] === '$${') {
      parts.push(literal + '${');
    } else {
      if (literal) parts.push(literal);
      const marker = parseMarker(m[1]);
      markers.push(marker);
      parts.push(marker);
    }
    last = m.index! + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  const merged = parts.reduce<(string | Marker)[]>((acc, p) => {
    if (typeof p === 'string' && typeof acc[acc.length - 1] === 'string') acc[acc.length - 1] += p;
    else acc.push(p);
    return acc;
  }, []);
  if (merged.every((p) => typeof p === 'string')) return { dynamic: false, value: merged.join('') };
  if (merged.length === 1) {
    const marker = merged[0] as Marker;
    return { dynamic: true, fn: (scope, deferred, path) => typed(marker, scope, deferred, path) };
  }
  for (const p of merged) {
    if (typeof p !== 'string' && (p.kind === 'sequence' || p.kind === 'accumulated')) {
      throw new Error(`marker \${${p.kind === 'sequence' ? p.field : 'accumulated'}} must be a whole string value, not part of "${text}"`);
    }
  }
  return {
    dynamic: true,
    fn: (scope, deferred, path) =>
      merged
        .map((p) => {
          if (typeof p === 'string') return p;
          const v = typed(p, scope, deferred, path);
          return typeof v === 'string' ? v : JSON.stringify(v ?? null);
        })
        .join(''),
  };
}

function typed(marker: Marker, scope: RenderScope, deferred: Deferred[], path: FramePath): unknown {
  switch (marker.kind) {
    case 'timestamp':
      return scope.timestamp(marker.offsetMs, marker.format, path);
    case 'id':
      return scope.id(marker.name);
    case 'lookup':
      return scope.lookup(marker.root, marker.path);
    default:
      deferred.push({ path, marker });
      return 0;
  }
}

/** Reads a dotted path (`data.agent`) from a value. */
export function getPath(value: unknown, path: string | string[]): unknown {
  let node = value;
  for (const key of typeof path === 'string' ? path.split('.') : path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Sets a value at a frame path (the containers on the path must be fresh, i.e. rendered). */
export function setPath(frame: unknown, path: FramePath, value: unknown): void {
  let node = frame as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
}

/**
 * The per-connection effect of the faults that change outgoing frames: renamed name field,
 * dropped required field, echoed token, undocumented event, orphan lifecycle end, pong without
 * its fields, initial messages out of order or missing, batched arrays. Faults of the clock,
 * sequences and accumulations live in render.ts; transport faults in the transports.
 */
import type { Spec } from '../src/spec/model.js';
import type { FaultSet } from './faults.js';
import { pongFields, strictLifecycles } from './faults.js';

/**
 * A frame the `binary-frames` fault sends as a binary WebSocket frame (stream events only, so
 * that replies and initial messages still reach the checks that judge them).
 */
export class BinaryFrame {
  constructor(readonly frame: unknown) {}
}

/** What kind of frame is being sent: stream frames may be batched; initial ones reordered. */
export type FrameKind = 'initial' | 'stream' | 'reply';

type Json = Record<string, unknown>;

const droppableCache = new WeakMap<Spec, Map<string, string[] | null>>();

/** The outgoing-frame faults of one connection. */
export class FaultEffects {
  private readonly socketio: boolean;
  private readonly nameField: string;
  private readonly firstInitial?: string;
  private readonly orphanEnds: Set<string>;
  private held?: unknown;
  private batch: unknown[] = [];
  private done = new Set<string>();

  constructor(
    private readonly spec: Spec,
    private readonly faults: FaultSet,
    /** The token the client presented, for `echo-token`. */
    private readonly token?: string,
  ) {
    this.socketio = spec.transport === 'socket.io';
    this.nameField = spec.ext.nameField?.receive ?? 'type';
    this.firstInitial = spec.ext.initialMessages?.[0]?.message;
    this.orphanEnds = new Set(strictLifecycles(spec)[0]?.end ?? []);
  }

  /** The frames to send in place of `frame` (none, itself, or more). */
  apply(frame: unknown, name: string | undefined, kind: FrameKind): unknown[] {
    const f = this.faults;
    if (!f.any) return [frame];
    if (name && name === this.firstInitial && f.has('initial-missing') && this.once('initial-missing')) return [];
    let out = frame;
    if (name && f.has('pong-missing-fields') && name === this.spec.ext.keepalive?.appPing?.pong) out = this.dropPaths(out, pongFields(this.spec));
    if (name && f.has('pong-no-echo') && name === this.spec.ext.keepalive?.appPing?.pong) out = this.dropPaths(out, this.spec.ext.keepalive.appPing.echo ?? []);
    const dropFrom = f.chosen.get('missing-field');
    if (name && f.has('missing-field') && !this.done.has('missing-field') && (dropFrom === undefined || dropFrom === name)) {
      const path = droppablePath(this.spec, name);
      if (path) {
        this.done.add('missing-field');
        f.chosen.set('missing-field', name);
        out = this.dropPaths(out, [path.join('.')]);
      }
    }
    // Drift of one message, chosen once per server: every instance renamed, a field of every
    // instance renamed, or a string field null in the first instance.
    if (name && kind !== 'initial' && f.has('rename-event') && !ruledNames(this.spec).has(name) && this.choose('rename-event', name, true)) out = this.renamed(out, name);
    if (name && f.has('rename-field')) {
      const path = droppablePath(this.spec, name);
      if (path && this.choose('rename-field', name, true)) out = this.withPayload(out, renamePath(this.payload(out) ?? {}, path, `${path.at(-1)}_renamed`));
    }
    if (name && f.has('null-field') && !this.done.has('null-field')) {
      const path = droppablePath(this.spec, name, true);
      if (path && this.choose('null-field', name, false)) {
        this.done.add('null-field');
        out = this.withPayload(out, nullPath(this.payload(out) ?? {}, path));
      }
    }
    if (f.has('echo-token') && this.token && this.once('echo-token')) out = this.echo(out);
    // Stream events only: replies and initial messages keep their names for the checks that wait for them.
    if (f.has('rename-name-field') && !this.socketio && kind === 'stream') out = rename(out, this.nameField, this.nameField === 'type' ? 'event_type' : 'type');
    // One stream event that no rule names goes out under an undocumented name (its sequence numbers kept).
    // Where no sequence numbers run, an undocumented copy of a frame follows it instead.
    const sequenced = !!this.spec.ext.sequences?.length;
    // The message it copies is chosen once per server, so that every connection shows the same drift.
    const copyOf = f.chosen.get('extra-event');
    const copies = f.has('extra-event') && name !== undefined && (copyOf === undefined || copyOf === name);
    if (copies && sequenced && kind === 'stream' && !ruledNames(this.spec).has(name!) && this.once('extra-event')) {
      f.chosen.set('extra-event', name!);
      out = this.undocumented(out);
    }
    const frames: unknown[] = [out];
    if (copies && !sequenced && kind !== 'initial' && this.once('extra-event')) {
      f.chosen.set('extra-event', name!);
      frames.push(this.undocumented(out));
    }
    // An end message sent a second time: an end whose lifecycle had already ended.
    if (name && f.has('lifecycle-orphan-end') && this.orphanEnds.has(name) && this.once('orphan')) frames.push(out);
    if (f.has('initial-out-of-order')) {
      if (name && name === this.firstInitial && this.held === undefined && this.once('held')) {
        this.held = out;
        return [];
      }
      if (this.held !== undefined) {
        frames.push(this.held);
        this.held = undefined;
      }
    }
    if (f.has('binary-frames') && kind === 'stream' && !this.socketio) return frames.map((fr) => new BinaryFrame(fr));
    if (f.has('batch-array') && kind === 'stream' && !this.socketio) {
      const ready: unknown[] = [];
      for (const fr of frames) {
        this.batch.push(fr);
        if (this.batch.length === 2) ready.push(this.batch.splice(0));
      }
      return ready;
    }
    return frames;
  }

  /** Frames still held back (an odd batched frame at the end of the stream). */
  flush(): unknown[] {
    if (!this.batch.length) return [];
    return [this.batch.splice(0)];
  }

  /**
   * Whether the fault acts on this message: the server's choice if it made one, else this
   * message becomes it. `every`: every instance; otherwise the caller marks it done.
   */
  private choose(fault: string, name: string, every: boolean): boolean {
    const chosen = this.faults.chosen.get(fault);
    if (chosen !== undefined && chosen !== name) return false;
    if (!every && this.done.has(fault)) return false;
    this.faults.chosen.set(fault, name);
    return true;
  }

  /** A message under another name (rename-event): `TTS_FINISHED` → `TTS_FINISHED_RENAMED`. */
  private renamed(frame: unknown, name: string): unknown {
    const to = /[a-z]/.test(name) ? `${name}_renamed` : `${name}_RENAMED`;
    if (this.socketio) return Array.isArray(frame) ? [to, ...frame.slice(1)] : frame;
    const payload = this.payload(frame);
    return payload ? { ...payload, [this.nameField]: to } : frame;
  }

  private once(key: string): boolean {
    if (this.done.has(key)) return false;
    this.done.add(key);
    return true;
  }

  private payload(frame: unknown): Json | undefined {
    const p = this.socketio ? (frame as unknown[])[1] : frame;
    return p && typeof p === 'object' && !Array.isArray(p) ? (p as Json) : undefined;
  }

  private withPayload(frame: unknown, payload: Json): unknown {
    return this.socketio ? [(frame as unknown[])[0], payload, ...(frame as unknown[]).slice(2)] : payload;
  }

  private dropPaths(frame: unknown, paths: string[]): unknown {
    let payload = this.payload(frame);
    if (!payload) return frame;
    for (const path of paths) payload = dropPath(payload, path.split('.'));
    return this.withPayload(frame, payload);
  }

  private echo(frame: unknown): unknown {
    // The token is added in a field of its own, so that no id another rule matches on changes.
    const payload = this.payload(frame);
    if (!payload) return this.socketio ? [(frame as unknown[])[0], { token: this.token }] : frame;
    const data = payload.data && typeof payload.data === 'object' && !Array.isArray(payload.data) ? (payload.data as Json) : undefined;
    if (data) return this.withPayload(frame, { ...payload, data: { ...data, token: this.token } });
    return this.withPayload(frame, { ...payload, token: this.token });
  }

  private undocumented(frame: unknown): unknown {
    if (this.socketio) return ['undocumented:event', this.payload(frame) ?? {}];
    const payload = this.payload(frame) ?? {};
    const key = this.faults.has('rename-name-field') ? (this.nameField === 'type' ? 'event_type' : 'type') : this.nameField;
    return { ...payload, [key]: this.nameField === 'event' ? 'UNDOCUMENTED_EVENT' : 'undocumented_event' };
  }
}

const ruledCache = new WeakMap<Spec, Set<string>>();

/** Server messages some rule of the document names (so that a fault touching them breaks that rule too). */
function ruledNames(spec: Spec): Set<string> {
  let set = ruledCache.get(spec);
  if (set) return set;
  const ext = spec.ext;
  set = new Set<string>([
    ...(ext.initialMessages ?? []).map((m) => m.message),
    ...(ext.lifecycles ?? []).flatMap((l) => [l.start, ...l.end, ...(l.during ?? [])]),
    ...(ext.accumulations ?? []).flatMap((a) => [a.message, ...(a.final ? [a.final.message] : []), ...(a.resetOn ?? [])]),
    ...(ext.sequences ?? []).flatMap((q) => q.messages ?? []),
    ...(ext.keepalive?.appPing ? [ext.keepalive.appPing.pong] : []),
    ...(ext.auth?.statusMessage ? [ext.auth.statusMessage.message] : []),
    ...(ext.auth?.refusals ?? []),
    ...(ext.auth?.admin ? [...ext.auth.admin.privilegedEvents, ...(ext.auth.admin.refusals ?? [])] : []),
    ...[...spec.replies.values()].flat(),
  ]);
  ruledCache.set(spec, set);
  return set;
}

function rename(frame: unknown, from: string, to: string): unknown {
  if (!frame || typeof frame !== 'object' || Array.isArray(frame)) return frame;
  const out: Json = {};
  for (const [k, v] of Object.entries(frame)) out[k === from ? to : k] = v;
  return out;
}

function renamePath(obj: Json, path: string[], to: string): Json {
  const [head, ...rest] = path;
  if (!(head in obj)) return obj;
  if (rest.length === 0) return rename(obj, head, to) as Json;
  const inner = obj[head];
  return inner && typeof inner === 'object' && !Array.isArray(inner) ? { ...obj, [head]: renamePath(inner as Json, rest, to) } : obj;
}

function nullPath(obj: Json, path: string[]): Json {
  const [head, ...rest] = path;
  if (!(head in obj)) return obj;
  if (rest.length === 0) return { ...obj, [head]: null };
  const inner = obj[head];
  return inner && typeof inner === 'object' && !Array.isArray(inner) ? { ...obj, [head]: nullPath(inner as Json, rest) } : obj;
}

function dropPath(obj: Json, path: string[]): Json {
  const [head, ...rest] = path;
  if (!(head in obj)) return obj;
  const copy = { ...obj };
  if (rest.length === 0) delete copy[head];
  else if (copy[head] && typeof copy[head] === 'object' && !Array.isArray(copy[head])) copy[head] = dropPath(copy[head] as Json, rest);
  return copy;
}

/**
 * The required payload field the `missing-field` fault drops from a message: a required field of
 * `data` when there is one, else a required top-level field that is not the name, an envelope
 * field, a sequence or a lifecycle key. Messages named by other rules (initial messages,
 * accumulations, keepalive, auth, robustness) are left alone so that only the schema breaks.
 */
export function droppablePath(spec: Spec, name: string, string = false): string[] | null {
  let cache = droppableCache.get(spec);
  if (!cache) droppableCache.set(spec, (cache = new Map()));
  const key = `${string ? 'string ' : ''}${name}`;
  if (cache.has(key)) return cache.get(key)!;
  const ext = spec.ext;
  const ruled = new Set<string>([
    ...(ext.initialMessages ?? []).map((m) => m.message),
    ...(ext.accumulations ?? []).flatMap((a) => [a.message, ...(a.final ? [a.final.message] : []), ...(a.resetOn ?? [])]),
    ...(ext.keepalive?.appPing ? [ext.keepalive.appPing.pong] : []),
    ...(ext.auth?.statusMessage ? [ext.auth.statusMessage.message] : []),
    ...(ext.auth?.refusals ?? []),
    ...(ext.auth?.admin ? [...ext.auth.admin.privilegedEvents, ...(ext.auth.admin.refusals ?? [])] : []),
    ...(ext.robustness?.invalidJson?.messages ?? []),
    ...(ext.robustness?.unknownMessage?.messages ?? []),
  ]);
  let result: string[] | null = null;
  const schema = spec.message('receive', name)?.schema as Json | undefined;
  if (!ruled.has(name) && schema) {
    const envelopeRequired = new Set(((spec.envelopeSchema as Json | undefined)?.required as string[] | undefined) ?? []);
    const nameField = ext.nameField?.receive ?? 'type';
    const props = (schema.properties ?? {}) as Record<string, Json>;
    const dataRequired = (props.data?.required as string[] | undefined) ?? [];
    const keys = new Set((ext.lifecycles ?? []).filter((l) => [l.start, ...l.end, ...(l.during ?? [])].includes(name)).flatMap((l) => l.key ?? []));
    // null-field wants a field documented as a string only.
    const fits = (p: Json | undefined) => !string || p?.type === 'string';
    const free = (path: string) => !keys.has(path);
    const top = ((schema.required as string[] | undefined) ?? []).filter((f) => f !== nameField && f !== 'data' && !envelopeRequired.has(f) && !(ext.sequences ?? []).some((s) => s.field === f) && free(f) && fits(props[f]));
    const dataProps = (props.data?.properties ?? {}) as Record<string, Json>;
    const inData = dataRequired.filter((f) => free(`data.${f}`) && fits(dataProps[f]));
    if (inData.length) result = ['data', inData[0]];
    else if (top.length) result = [top[0]];
  }
  cache.set(key, result);
  return result;
}

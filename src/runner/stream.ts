/**
 * Judging as frames arrive. Every connection of a run feeds one hub; the hub reads each server
 * frame once into messages and hands frame and messages to the stream checks that watch it (the
 * observation's, or every connection's). The checks keep bounded state, so the observers' wire
 * logs can be bounded too (`seal`): an observation of minutes judges every frame and keeps a few
 * thousand. Evidence survives: every occurrence a finding keeps pins its frames (and the
 * transcript's) in the log.
 */
import type { Spec } from '../spec/model.js';
import type { ValidationResult, Validator } from '../spec/validator.js';
import { OBSERVER_BOUNDS } from '../transport/log.js';
import type { Connection, Frame } from '../transport/types.js';
import { payloadOf } from './messages.js';
import type { Occurrence } from './types.js';

/** One server message: the frame that carried it, the message, its name and payload. */
export interface Received {
  frame: Frame;
  /** WebSocket: the parsed JSON; Socket.IO: `[event, ...args]`. */
  value: unknown;
  name?: string;
  /** WebSocket: the object; Socket.IO: the first argument. */
  payload: unknown;
  /** When the frame batched several events into a JSON array: this event's index in it. */
  batchIndex?: number;
  /** Its validation, once a check asked for it (computed once however many ask). */
  validation?: ValidationResult;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const LIFECYCLE: Record<string, string> = { CONNECT: 'connect', CONNECT_ERROR: 'connect_error', DISCONNECT: 'disconnect' };

const NONE: readonly Received[] = Object.freeze([]);

/**
 * The messages one frame carries in direction `dir`: WebSocket, a text frame that is JSON (each
 * event of a batch on its own); Socket.IO, an EVENT packet, or a lifecycle packet the document
 * lists as a message.
 */
export function messagesOf(spec: Spec, validator: Validator, frame: Frame, dir: 'in' | 'out' = 'in'): readonly Received[] {
  if (frame.dir !== dir || frame.type !== 'text') return NONE;
  if (spec.transport === 'socket.io') {
    const packet = frame.sio?.packet;
    if ((packet === 'EVENT' || packet === 'BINARY_EVENT') && frame.message !== undefined) {
      return [{ frame, value: frame.message, name: frame.name, payload: payloadOf(spec, frame.message) }];
    }
    if (packet && LIFECYCLE[packet] && (spec.ext.lifecycle ?? []).includes(LIFECYCLE[packet])) {
      const value = frame.sio?.data === undefined ? [LIFECYCLE[packet]] : [LIFECYCLE[packet], frame.sio.data];
      return [{ frame, value, name: LIFECYCLE[packet], payload: frame.sio?.data }];
    }
    return NONE;
  }
  if (!frame.json) return NONE;
  const batch = frame.message;
  if (spec.ext.shape !== 'array' && Array.isArray(batch) && batch.length > 0 && batch.every(isObject)) {
    // Events batched into one array frame: envelope/json-objects reports the batching, and
    // every other check still judges each event, so batching hides no other drift.
    const direction = dir === 'in' ? 'receive' : 'send';
    return batch.map((value, batchIndex) => ({ frame, value, name: validator.nameOf(value, direction), payload: value, batchIndex }));
  }
  return [{ frame, value: frame.message, name: frame.name, payload: frame.message }];
}

/** A stream check's view of a frame: the frame, the server messages it carries, its connection. */
export type MessageTap = (frame: Frame, messages: readonly Received[], conn: Connection) => void;

/** What a connection is to the run: the observation, another observer (`--clients`), or a check's. */
export type Role = 'observation' | 'observer' | 'check';

/** Per connection: server frames, and the names of the server messages received. */
interface Tally {
  serverFrames: number;
  names: Map<string, { n: number }>;
}

/** The run's hub of frames (see the file comment). */
export class StreamHub {
  private readonly connections: { conn: Connection; role: Role; tally: Tally }[] = [];
  private readonly runTaps: MessageTap[] = [];
  private readonly observationTaps: MessageTap[] = [];
  private sealed = false;
  /** Deviations recorded so far by the checks' findings (for progress lines). */
  deviations = 0;

  constructor(
    private readonly spec: Spec,
    private readonly validator: Validator,
    /** Frames kept before and after each occurrence (`contextFrames`). */
    private readonly radius: number,
  ) {}

  /** Feeds a new connection of the run to the hub (before it has frames). */
  add(conn: Connection, role: Role): void {
    const tally: Tally = { serverFrames: 0, names: new Map() };
    this.connections.push({ conn, role, tally });
    if (role !== 'check' && this.sealed) conn.boundLog(OBSERVER_BOUNDS);
    conn.tap((frame) => {
      const messages = messagesOf(this.spec, this.validator, frame);
      if (frame.dir === 'in') tally.serverFrames++;
      for (let i = 0; i < messages.length; i++) {
        const name = messages[i].name;
        if (name === undefined) continue;
        const count = tally.names.get(name);
        if (count) count.n++;
        else tally.names.set(name, { n: 1 });
      }
      for (let i = 0; i < this.runTaps.length; i++) this.runTaps[i](frame, messages, conn);
      if (role === 'observation') for (let i = 0; i < this.observationTaps.length; i++) this.observationTaps[i](frame, messages, conn);
    });
  }

  /**
   * Calls `tap` with every frame of the observation (`observation`) or of every connection of the
   * run (`run`): first the frames already recorded, then each as it arrives. A log that has
   * already dropped frames cannot be replayed: watching then is the kit's error, never a verdict.
   */
  watch(scope: 'observation' | 'run', tap: MessageTap): void {
    for (const { conn, role } of this.connections) {
      if (scope === 'observation' && role !== 'observation') continue;
      if (conn.frames.dropped) throw new Error(`a stream check began to watch ${conn.label} after its wire log had dropped frames (a check watches before its first await)`);
      for (const frame of conn.frames) tap(frame, messagesOf(this.spec, this.validator, frame), conn);
    }
    (scope === 'run' ? this.runTaps : this.observationTaps).push(tap);
  }

  /** Every check is watching: from now on the observers keep bounded wire logs. */
  seal(): void {
    this.sealed = true;
    for (const { conn, role } of this.connections) if (role !== 'check') conn.boundLog(OBSERVER_BOUNDS);
  }

  /** Keeps the frames of an occurrence (and of its transcript) in its connection's log. */
  pin(o: Occurrence): void {
    if (o.frameIndex === undefined) return;
    const holder = o.connection ? this.connections.find((c) => c.conn.label === o.connection) : this.connections.find((c) => c.role === 'observation');
    holder?.conn.pin(o.frameIndex, this.radius);
  }

  /** The server frames a connection received. */
  serverFrames(conn: Connection): number {
    return this.connections.find((c) => c.conn === conn)?.tally.serverFrames ?? 0;
  }

  /** The names of the server messages received on the given connections (default: all), with counts. */
  names(only?: readonly Connection[]): Map<string, number> {
    const out = new Map<string, number>();
    for (const { conn, tally } of this.connections) {
      if (only && !only.includes(conn)) continue;
      for (const [n, c] of tally.names) out.set(n, (out.get(n) ?? 0) + c.n);
    }
    return out;
  }
}

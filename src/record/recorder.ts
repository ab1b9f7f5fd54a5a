/**
 * Records a live stream into a fixture that the reference server replays (fixtures/README.md).
 *
 * Every received message is validated as it arrives. A message that does not conform is kept,
 * verbatim, with a `nonconforming` list of its issues: the replay then reproduces the drift
 * faithfully, for client authors. Nothing received is dropped. A text frame that is not JSON
 * or a binary frame cannot be a fixture frame; it is kept as a comment line with its
 * text, so the file still holds it.
 *
 * The fixture's parts:
 * - the documented initial messages at the start of the stream become the `$connect` script;
 * - the first documented reply after each message sent (`--send`) becomes that message's script;
 * - everything else becomes stream lines at the time it arrived;
 * - scripts the document needs but the recording did not see (a request never sent, a
 *   `$hook`) are copied from the protocol's default fixture, marked with a note.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_FIXTURES } from '../../reference-server/options.js';
import { fieldAt, payloadOf } from '../runner/messages.js';
import { performOpening, serverPingAnswer, withField } from '../runner/opening.js';
import { presentToken } from '../runner/target.js';
import type { Spec } from '../spec/model.js';
import { packageRoot } from '../spec/paths.js';
import { validatorFor } from '../spec/validator.js';
import { connect, type Frame } from '../transport/index.js';

/** A client message to send during the recording. */
export interface SendLine {
  /** Milliseconds after the connection opened. */
  at: number;
  /** The message (WebSocket: the JSON object; Socket.IO: `[event, ...args]`). */
  frame: unknown;
}

/** Options of `record`. */
export interface RecordOptions {
  spec: Spec;
  url: string;
  /** How long to record after the connection opens (ms). */
  durationMs: number;
  send?: SendLine[];
  token?: string;
  /** Handshake timeout (ms, default 5000). */
  timeoutMs?: number;
  /** Called for each received message (progress). */
  onMessage?: (count: number, nonconforming: number) => void;
  /** The default fixture to borrow unrecorded scripts from (default: the built-in one, if any). */
  defaultFixture?: string;
  /** Aborting it ends the recording early; what was recorded is kept. */
  signal?: AbortSignal;
}

/** The result of a recording. */
export interface Recording {
  /** The fixture text (JSON Lines). */
  text: string;
  /** Messages received. */
  messages: number;
  /** How many of them do not conform to the document. */
  nonconforming: number;
  /** Frames kept as comments (not JSON, binary). */
  unreplayable: number;
  /** How the connection ended, if the server closed it. */
  closedBy?: string;
}

/** Thrown when the server cannot be reached (the CLI exits 2). */
export class RecordConnectError extends Error {}

/** `${` starts a fixture marker; a recorded literal must not. */
function escapeMarkers(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$\{/g, '$${');
  if (Array.isArray(value)) return value.map(escapeMarkers);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeMarkers(v)]));
  return value;
}

/** The script lines of the default fixture for every trigger the recording did not script. */
function borrowedScripts(file: string | undefined, recorded: Set<string>): string[] {
  if (!file) return [];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('{')) continue;
    const value = JSON.parse(line) as Record<string, unknown>;
    if (typeof value.on === 'string' && !recorded.has(value.on)) out.push(JSON.stringify({ ...value, note: 'copied from the default fixture: not recorded' }));
  }
  return out;
}

/** The built-in default fixture of a protocol (the reference server's own default scenario). */
export function defaultFixtureOf(spec: Spec): string | undefined {
  const file = (DEFAULT_FIXTURES as Record<string, string>)[spec.id];
  return file ? join(packageRoot(), 'fixtures', spec.id, file) : undefined;
}

/** Records a live stream; resolves with the fixture text. */
export async function record(options: RecordOptions): Promise<Recording> {
  const { spec } = options;
  const validator = validatorFor(spec);
  const { openingPayload, ...presented } = presentToken(spec, options.token);
  const timeoutMs = options.timeoutMs ?? 5000;
  const conn = connect(spec.transport, {
    url: options.url,
    timeoutMs,
    nameOf: (m, d) => validator.nameOf(m, d),
    label: 'record',
    protocols: spec.ext.subprotocol?.offer,
    answer: serverPingAnswer(spec),
    ...presented,
  });
  const opened = await conn.opened;
  if (!opened.ok) throw new RecordConnectError(`cannot connect to ${options.url}: ${opened.detail}`);
  // The document's opening (connection_init → connection_ack) first, as every client does.
  const failed = await performOpening(spec, conn, timeoutMs, openingPayload);
  if (failed) {
    await conn.close();
    throw new RecordConnectError(`the opening failed at ${options.url}: ${failed.detail}`);
  }

  const timers: NodeJS.Timeout[] = [];
  for (const s of options.send ?? []) timers.push(setTimeout(() => conn.isOpen() && conn.send(s.frame), s.at));
  // Progress: messages so far and how many do not conform (validated as they arrive).
  let messages = 0;
  let nonconforming = 0;
  let seen = 0;
  const progress = setInterval(() => {
    for (const f of conn.frames.slice(seen)) {
      if (f.dir !== 'in' || f.message === undefined) continue;
      messages++;
      if (!validator.validate(f.message, 'receive').valid) nonconforming++;
    }
    seen = conn.frames.length;
    options.onMessage?.(messages, nonconforming);
  }, 250);
  let stop: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const closedEarly = await Promise.race([
    conn.closed,
    new Promise<undefined>((r) => {
      stop = setTimeout(() => r(undefined), options.durationMs);
      onAbort = () => r(undefined);
      if (options.signal?.aborted) onAbort();
      else options.signal?.addEventListener('abort', onAbort, { once: true });
    }),
  ]);
  clearTimeout(stop);
  if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  for (const t of timers) clearTimeout(t);
  clearInterval(progress);
  if (!closedEarly) await conn.close();
  return buildFixture(options, [...conn.frames], opened.ms, closedEarly ? `${closedEarly.by} (code ${closedEarly.code})` : undefined);
}

/** Turns a wire log into fixture text (exported for tests). */
export function buildFixture(options: Pick<RecordOptions, 'spec' | 'url' | 'durationMs' | 'defaultFixture'>, frames: readonly Frame[], t0: number, closedBy?: string): Recording {
  const { spec } = options;
  const validator = validatorFor(spec);
  const lines: string[] = [];
  const header = {
    wsconform: 'fixture',
    version: 1,
    protocol: spec.id,
    title: `Recorded from ${options.url}`,
    description: `wsconform record, ${options.durationMs} ms${closedBy ? `; the connection was closed by the ${closedBy}` : ''}`,
  };
  lines.push(JSON.stringify(header));

  const initial = spec.ext.initialMessages ?? [];
  const incoming = frames.filter((f) => f.dir === 'in');
  const sent = frames.filter((f) => f.dir === 'out' && f.message !== undefined);
  const consumed = new Set<Frame>();
  const scripted = new Set<string>();
  let messages = 0;
  let nonconforming = 0;
  let unreplayable = 0;

  // Script lines are validated when the fixture loads, so only a conforming frame becomes one;
  // a frame that does not conform stays a stream line, marked `nonconforming`.
  const conforms = (f: Frame) => validator.validate(f.message, 'receive').valid;
  // Initial messages: the leading run of documented initial messages.
  const messagesIn = incoming.filter((f) => f.message !== undefined && !(f.sio && f.sio.packet && f.sio.packet !== 'EVENT'));
  if (initial.length) {
    const names = new Set(initial.map((m) => m.message));
    for (const f of messagesIn) {
      if (!f.name || !names.has(f.name) || !conforms(f)) break;
      lines.push(JSON.stringify({ on: '$connect', at: Math.max(0, Math.round(f.at - t0)), frame: escapeMarkers(f.message) }));
      consumed.add(f);
      scripted.add('$connect');
    }
  }
  // Operations: every message that carries the id of a start the client sent belongs to that
  // start, whenever it came; the replay sends them after its own trigger, with the trigger's id.
  for (const op of spec.ext.operations ?? []) {
    if (scripted.has(op.start)) continue;
    const replyField = op.replyIdField ?? op.idField;
    for (const s of sent) {
      if (s.name !== op.start) continue;
      const id = fieldAt(payloadOf(spec, s.message), op.idField);
      if (id === undefined) continue;
      const mine = messagesIn.filter((f) => f.index > s.index && !consumed.has(f) && fieldAt(payloadOf(spec, f.message), replyField) === id && conforms(f));
      if (!mine.length) continue;
      for (const f of mine) {
        consumed.add(f);
        const frame = escapeMarkers(f.message);
        const marked = spec.transport === 'socket.io' && Array.isArray(frame) ? [frame[0], withField(frame[1], replyField, `\${request.${op.idField}}`), ...frame.slice(2)] : withField(frame, replyField, `\${request.${op.idField}}`);
        lines.push(JSON.stringify({ on: op.start, at: Math.max(0, Math.round(f.at - s.at)), frame: marked }));
      }
      scripted.add(op.start);
      break;
    }
  }
  // Replies: the first documented reply after each message sent.
  for (const s of sent) {
    const name = s.name;
    const replies = name ? spec.replies.get(name) : undefined;
    if (!name || !replies?.length || scripted.has(name)) continue;
    const reply = messagesIn.find((f) => f.index > s.index && !consumed.has(f) && f.name !== undefined && replies.includes(f.name) && conforms(f));
    if (!reply) continue;
    consumed.add(reply);
    scripted.add(name);
    lines.push(JSON.stringify({ on: name, at: Math.max(0, Math.round(reply.at - s.at)), frame: escapeMarkers(reply.message) }));
  }
  // The stream.
  for (const f of incoming) {
    if (f.type === 'text' || f.type === 'binary') {
      if (f.message === undefined) {
        if (f.sio && f.sio.packet !== 'EVENT') continue; // Engine.IO / Socket.IO transport packets
        unreplayable++;
        lines.push(`// at ${Math.round(f.at - t0)} ms: ${f.type === 'binary' ? `binary frame of ${f.bytes} bytes` : `text frame that is not JSON: ${JSON.stringify(f.text ?? '')}`} (not replayable; kept for the record)`);
        continue;
      }
      if (f.sio && f.sio.packet && f.sio.packet !== 'EVENT') continue;
      messages++;
      if (consumed.has(f)) continue;
      const result = validator.validate(f.message, 'receive');
      const line: Record<string, unknown> = { at: Math.max(0, Math.round(f.at - t0)), frame: escapeMarkers(f.message) };
      if (!result.valid) {
        nonconforming++;
        line.nonconforming = result.issues.map((i) => `${i.message} (expected ${i.expected}, got ${i.actual}) [${i.code}]`);
      }
      lines.push(JSON.stringify(line));
    }
  }

  // Scripts the recording did not see, borrowed so the fixture loads and the server stays faithful.
  const borrowed = borrowedScripts(options.defaultFixture ?? defaultFixtureOf(spec), scripted);
  if (borrowed.length) lines.push('// Scripts below were not recorded; they come from the default fixture so that the replay answers as the document says.', ...borrowed);

  // Stream lines must be in time order; script and comment lines may stand anywhere.
  return { text: lines.join('\n') + '\n', messages, nonconforming, unreplayable, closedBy };
}

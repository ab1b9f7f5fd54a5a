/**
 * Renders fixture templates for one connection: the virtual clock, seeded ids, sequence numbers
 * (per connection, or per scope such as `agent`) and running concatenations, all in send order.
 * The same inputs give the same bytes.
 */
import type { Spec } from '../src/spec/model.js';
import { validatorFor } from '../src/spec/validator.js';
import { formatTimestamp, wrongFormat, type TimestampFormat } from './clock.js';
import type { FaultSet } from './faults.js';
import type { FixtureHeader } from './fixture.js';
import { createPrng, type Prng } from './prng.js';
import { getPath, setPath, type FramePath, type LookupRoot, type Template } from './template.js';

/** Values that `request.*`, `auth.*`, `vars.*` and `conn.*` markers read. */
export interface RenderContext {
  request?: unknown;
  auth?: Record<string, unknown>;
  vars?: Record<string, unknown>;
  conn?: Record<string, unknown>;
  /** Ids of one script invocation (`${id:NAME}` inside a script); absent: the connection's ids. */
  ids?: Map<string, string>;
  /**
   * A broadcast stream frame: its ids come from the stream shared by every connection (the same
   * seed, the same order), so every client receives the same event.
   */
  shared?: boolean;
}

/** Per-connection rendering state. */
export class FrameRenderer {
  /** Current virtual time (ms since the connection's time 0). */
  vnow = 0;
  private readonly prng: Prng;
  private readonly ids = new Map<string, string>();
  private readonly sharedIds = new Map<string, string>();
  private readonly sharedPrng: ReturnType<typeof createPrng>;
  private readonly counters = new Map<string, number>();
  private readonly regressed = new Set<string>();
  private readonly accumulated = new Map<string, { text: string; chunks: number; last: string }>();
  private readonly socketio: boolean;
  private readonly tsFormats: Map<string, TimestampFormat>;
  private readonly defaultFormat: TimestampFormat;
  private readonly envelopeFormat: boolean;

  constructor(
    private readonly spec: Spec,
    private readonly header: FixtureHeader,
    seed: number,
    ordinal: number,
    private readonly faults: FaultSet,
  ) {
    this.prng = createPrng(seed, ordinal);
    this.sharedPrng = createPrng(seed, 0);
    this.socketio = spec.transport === 'socket.io';
    const rules = spec.ext.envelope?.timestamps ?? [];
    this.tsFormats = new Map(rules.map((r) => [r.field, r.format]));
    this.envelopeFormat = rules.length > 0;
    this.defaultFormat = header.timestampFormat ?? rules[0]?.format ?? 'epoch-seconds';
  }

  /** A fresh id from the connection's seeded PRNG (12 hex characters). */
  newId(): string {
    return this.prng.hex(12);
  }

  /** Formats virtual time `atMs` (default: now) in a representation. */
  format(format: TimestampFormat, atMs = this.vnow): number | string {
    return formatTimestamp(this.header.epoch ?? 0, atMs, format);
  }

  /** A fresh id scope for one script invocation. */
  newIdScope(): Map<string, string> {
    return new Map();
  }

  /** The wire name of a frame. */
  nameOf(frame: unknown): string | undefined {
    return validatorFor(this.spec).nameOf(frame, 'receive');
  }

  /** The payload of a frame: the object itself (WebSocket) or the first argument (Socket.IO). */
  payloadOf(frame: unknown): unknown {
    return this.socketio ? (Array.isArray(frame) ? frame[1] : undefined) : frame;
  }

  /** Renders a template at virtual time `atMs`, in send order. */
  render(template: Template, atMs: number, ctx: RenderContext = {}): unknown {
    if (atMs > this.vnow) this.vnow = atMs;
    const at = atMs;
    const { frame, deferred } = template.render({
      timestamp: (offset, format, path) => this.timestamp(at + offset, format, path),
      id: (name) => this.id(name, ctx.ids, ctx.shared),
      lookup: (root, path) => lookup(ctx, root, path),
    });
    const name = this.nameOf(frame);
    for (const d of deferred) {
      if (d.marker.kind === 'sequence') setPath(frame, d.path, this.nextSequence(d.marker.field, frame));
    }
    this.accumulate(frame, name, deferred.filter((d) => d.marker.kind === 'accumulated').map((d) => d.path));
    return frame;
  }

  private timestamp(virtualMs: number, format: TimestampFormat | undefined, path: FramePath): unknown {
    let fmt = format;
    if (!fmt) {
      const field = (this.socketio ? path.slice(1) : path).join('.');
      const documented = this.tsFormats.get(field);
      fmt = documented ?? this.defaultFormat;
      // The fault drifts the documented timestamp fields only: a nested timestamp the document
      // types otherwise keeps its type, so only envelope/timestamps judges the drift.
      if (documented && this.envelopeFormat && this.faults.has('timestamp-iso')) fmt = wrongFormat(fmt);
    }
    return formatTimestamp(this.header.epoch ?? 0, virtualMs, fmt);
  }

  private id(name: string, scope?: Map<string, string>, shared = false): string {
    const map = scope ?? (shared ? this.sharedIds : this.ids);
    let v = map.get(name);
    if (!v) {
      v = (shared ? this.sharedPrng : this.prng).hex(12);
      map.set(name, v);
    }
    return v;
  }

  private nextSequence(field: string, frame: unknown): number {
    const rule = this.spec.ext.sequences?.find((r) => r.field === field);
    const scope = rule?.scope ? getPath(this.payloadOf(frame), rule.scope) : undefined;
    const key = `${field}\u0000${scope === undefined ? '' : String(scope)}`;
    const value = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, value);
    const fault = rule?.scope ? 'agent-seq-regress' : 'seq-regress';
    if (rule && value === 3 && this.faults.has(fault) && !this.regressed.has(fault)) {
      this.regressed.add(fault);
      return 1;
    }
    return value;
  }

  private accumulate(frame: unknown, name: string | undefined, paths: FramePath[]): void {
    const rules = this.spec.ext.accumulations ?? [];
    const payload = this.payloadOf(frame);
    const prefix: FramePath = this.socketio ? [1] : [];
    const isAt = (path: FramePath, field: string) => path.join('.') === [...prefix, ...field.split('.')].join('.');
    for (const rule of rules) {
      const state = this.accumulated.get(rule.id) ?? { text: '', chunks: 0, last: '' };
      if (name === rule.message) {
        const chunk = String(getPath(payload, rule.chunkField) ?? '');
        state.text += chunk;
        state.chunks++;
        state.last = chunk;
        this.accumulated.set(rule.id, state);
        for (const p of paths) {
          if (!isAt(p, rule.accumulatedField)) continue;
          const wrong = this.faults.has('accumulated-mismatch') && state.chunks === 2;
          setPath(frame, p, wrong ? chunk : state.text);
        }
      } else if (rule.final && name === rule.final.message) {
        for (const p of paths) {
          if (!isAt(p, rule.final.field)) continue;
          const wrong = this.faults.has('full-response-mismatch');
          setPath(frame, p, wrong ? state.text.slice(0, state.text.length - state.last.length) || `${state.text} (truncated)` : state.text);
        }
        this.accumulated.delete(rule.id);
      } else if (name && rule.resetOn?.includes(name)) {
        this.accumulated.delete(rule.id);
      }
    }
    // An ${accumulated} marker outside every rule's fields gets the first rule's text so far.
    for (const p of paths) {
      const own = rules.some((r) => isAt(p, r.accumulatedField) || (r.final && isAt(p, r.final.field)));
      if (!own) setPath(frame, p, this.accumulated.get(rules[0]?.id ?? '')?.text ?? '');
    }
  }
}

function lookup(ctx: RenderContext, root: LookupRoot, path: string[]): unknown {
  const base = ctx[root];
  return path.length ? getPath(base, path) : base;
}

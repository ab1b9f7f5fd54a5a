/**
 * One client connection: its renderer (clock, ids, sequences), its outbox, its auth state, and
 * the replay of the fixture to it: `$connect` script, replay buffer, then the stream. Each
 * connection gets its own replay from the start (determinism per connection).
 */
import { setImmediate as yieldNow } from 'node:timers/promises';
import type { ServerContext } from './context.js';
import { FaultEffects, type FrameKind } from './fault-effects.js';
import { replayBuffer, streamPasses, type FixtureLine, type Script, type ScriptLine } from './fixture.js';
import { replyOnlyMessages } from './faults.js';
import { Outbox, type Wire } from './outbox.js';
import { Session } from './session.js';
import { FrameRenderer, type RenderContext } from './render.js';

/** How the client authenticated. */
export interface AuthState {
  /** `none`: no token presented; `valid`; `wrong`: a token that is not the configured one. */
  token: 'none' | 'valid' | 'wrong';
  /** The presented token (never sent back, except under the `echo-token` fault). */
  presented?: string;
  /** Reported as `authenticated` (e.g. aragora connection_info.data.authenticated). */
  authenticated: boolean;
  /** Whether writes are allowed. */
  write: boolean;
  /** Whether admin-only operations are allowed. */
  admin: boolean;
}

/** Stream frames sent between two yields to the event loop in instant mode. */
/**
 * Frames per corked write. Instant mode waits for the client to drain below the low-water mark
 * between bursts, so a burst may be large. Paced mode does not wait: a smaller burst lets every
 * other client (and, in-process, the client itself) read before the next one, so a reading
 * client never looks like a slow consumer.
 */
const BURST_INSTANT = 64;
const BURST_PACED = 16;

/** One client connection. */
/** Whether a message belongs to a lifecycle or an accumulation (dropping it would break that rule too). */
function inLifecycle(spec: ServerContext['spec'], name: string | undefined): boolean {
  if (name === undefined) return true;
  const ext = spec.ext;
  return (ext.lifecycles ?? []).some((l) => [l.start, ...l.end, ...(l.during ?? [])].includes(name)) || (ext.accumulations ?? []).some((a) => a.message === name || a.final?.message === name);
}

/** Whether the no-broadcast fault withholds the k-th event from a connection: a hash of both. */
function withheld(ordinal: number, k: number): boolean {
  let h = Math.imul(k ^ Math.imul(ordinal, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h & 1) === 1;
}

/** How long an instant broadcast stream waits after the connect before it starts. */
const BROADCAST_START_MS = 100;

export class Connection {
  readonly ordinal: number;
  readonly renderer: FrameRenderer;
  readonly effects: FaultEffects;
  readonly outbox: Outbox;
  /** A room the connection is in (e.g. a chat session), for `to: "room"` lines. */
  room?: string;
  /** Whether the connection receives `to: "monitors"` lines (privileged feed). */
  monitoring = false;
  /** A user name for `${conn.user}` (set by the protocol module). */
  user?: string;
  /** The protocol module's per-connection state. */
  state: Record<string, unknown> = {};
  closed = false;
  /** Stream events counted for the no-broadcast fault. */
  private unsent = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly variants = new Map<string, number>();
  private readonly lowWater: number;

  constructor(
    readonly ctx: ServerContext,
    private readonly wire: Wire,
    /** The channel address the client connected to. */
    readonly channel: string,
    readonly auth: AuthState,
  ) {
    this.ordinal = ctx.hub.nextOrdinal();
    this.renderer = new FrameRenderer(ctx.spec, ctx.fixture.header, ctx.options.seed, this.ordinal, ctx.faults);
    this.effects = new FaultEffects(ctx.spec, ctx.faults, auth.presented);
    this.outbox = new Outbox(wire, ctx.options.maxBufferedBytes, (n) => this.cutOff(n));
    this.lowWater = Math.min(64 * 1024, Math.floor(ctx.options.maxBufferedBytes / 4));
    this.session = new Session(this);
  }

  /** The session rules of the document (opening, operation ids, close codes). */
  readonly session: Session;

  /** Values for `${auth.*}` markers. */
  authVars(): Record<string, unknown> {
    return { authenticated: this.auth.authenticated, write: this.auth.write, admin: this.auth.admin };
  }

  /** Values for `${conn.*}` markers. */
  connVars(): Record<string, unknown> {
    return { ordinal: this.ordinal, channel: this.channel, user: this.user, room: this.room };
  }

  /** Sends the connect script, the replay buffer, then replays the stream. */
  async start(): Promise<void> {
    const { ctx } = this;
    ctx.hub.add(this);
    this.session.start();
    ctx.module.onOpen?.(this);
    const connect = this.pickScript('$connect');
    for (const line of connect?.lines ?? []) {
      if (this.initialFor(line)) this.emitLine(line, line.at, this.renderContext(), 'initial');
    }
    if (ctx.faults.has('unsolicited-reply')) this.sendUnsolicitedReply();
    for (const line of replayBuffer(ctx.fixture)) this.emitLine(line, line.at, this.renderContext(), 'stream');
    // A broadcast stream flows whoever connects: an instant replay starts a moment after the
    // connect, so that two clients connecting together both receive it, as from a live server.
    if (ctx.spec.ext.broadcast && ctx.options.speed === 0) await this.sleep(BROADCAST_START_MS);
    await this.replayStream();
  }

  private async replayStream(): Promise<void> {
    const { speed } = this.ctx.options;
    const started = performance.now();
    let burst = 0;
    // A burst of frames is corked so it leaves in one write, not one system call per frame;
    // the socket is uncorked before every wait.
    const uncork = () => this.outbox.uncork();
    try {
      for (const { line, at } of streamPasses(this.ctx.fixture)) {
        if (this.closed) return;
        if (speed > 0) {
          const wait = started + at / speed - performance.now();
          if (wait > 1) {
            uncork();
            await this.sleep(wait);
          }
          if (this.closed) return;
        }
        this.outbox.cork();
        this.emitLine(line, at, this.renderContext(), 'stream');
        if (speed === 0 && (++burst >= BURST_INSTANT || this.outbox.buffered > this.lowWater)) {
          burst = 0;
          uncork();
          await this.outbox.drained(this.lowWater);
          await yieldNow();
        } else if (speed > 0 && ++burst >= BURST_PACED) {
          // Paced frames due back to back: let other clients and inbound messages run between bursts.
          burst = 0;
          uncork();
          await yieldNow();
        }
      }
    } finally {
      uncork();
    }
    if (!this.closed) for (const f of this.effects.flush()) this.outbox.send(f);
  }

  /** Whether an initial-message line of the `$connect` script applies to this channel. */
  private initialFor(line: FixtureLine): boolean {
    const rule = this.ctx.spec.ext.initialMessages?.find((m) => m.message === line.name);
    return !rule?.channels || rule.channels.includes(this.channel);
  }

  /** A render context for this connection. */
  renderContext(extra: Partial<RenderContext> = {}): RenderContext {
    return { auth: this.authVars(), conn: this.connVars(), ...extra };
  }

  /** Whether a message of this name may be sent to this connection. */
  wants(name: string | undefined): boolean {
    if (!name) return true;
    const admin = this.ctx.spec.ext.auth?.admin;
    if (admin?.privilegedEvents.includes(name) && !this.auth.admin) {
      // Under allow-admin-ops a non-admin's own monitoring requests are answered; leak-monitoring sends everything.
      const { faults } = this.ctx;
      if (!faults.has('leak-monitoring') && !faults.has('allow-admin-ops')) return false;
    }
    return this.ctx.module.accepts ? this.ctx.module.accepts(this, name) : true;
  }

  /** Renders a fixture line at virtual time `at` and sends it (through filters and faults). */
  emitLine(line: FixtureLine, at: number, rctx: RenderContext, kind: FrameKind): void {
    if (this.closed || !this.wants(line.name)) return;
    // Where the document says events are broadcast, every client gets the same stream frames.
    const broadcast = kind === 'stream' && !!this.ctx.spec.ext.broadcast;
    const frame = this.renderer.render(line.template, at, broadcast ? { ...rctx, shared: true } : rctx);
    // no-broadcast: each client is sent about half of the events outside a lifecycle, a different
    // half per client (rendered all the same, so the events two clients share are identical).
    if (broadcast && this.ctx.faults.has('no-broadcast') && !inLifecycle(this.ctx.spec, line.name) && withheld(this.ordinal, ++this.unsent)) return;
    const name = this.renderer.nameOf(frame);
    this.ctx.module.onSent?.(this, name, frame);
    for (const f of this.effects.apply(frame, name, kind)) {
      if (this.collected) this.collected.push(f);
      else this.outbox.send(f);
    }
  }

  private collected?: unknown[];

  /**
   * Runs `fn` and returns the frames it would have sent this connection at once, unsent (the
   * replies to a batch, gathered into one array). Frames scheduled for later are sent as usual.
   */
  collecting(fn: () => void): unknown[] {
    const outer = this.collected;
    const mine: unknown[] = [];
    this.collected = mine;
    try {
      fn();
    } finally {
      this.collected = outer;
    }
    return mine;
  }

  /** Sends a frame now, as it is (past filters and faults: the caller built it). */
  sendNow(frame: unknown): void {
    if (!this.closed) this.outbox.send(frame);
  }

  /** The script for a trigger: the named variant, else the next variant in turn. */
  pickScript(on: string, variant?: string): Script | undefined {
    const scripts = this.ctx.fixture.scripts.get(on);
    if (!scripts?.length) return undefined;
    if (variant !== undefined) {
      const named = scripts.find((s) => s.variant === variant);
      if (named) return named;
    }
    const i = this.variants.get(on) ?? 0;
    this.variants.set(on, i + 1);
    return scripts[i % scripts.length];
  }

  /** Whether the fixture has a script for a trigger. */
  hasScript(on: string): boolean {
    return !!this.ctx.fixture.scripts.get(on)?.length;
  }

  /**
   * Runs the script for a trigger: each line at `at` ms after now (virtual time; real time /
   * speed when paced), to its `to` audience. Returns the script run (undefined: the fixture has none).
   */
  runScript(on: string, request?: unknown, vars?: Record<string, unknown>, variant?: string): Script | undefined {
    const script = this.pickScript(on, variant);
    if (!script) return undefined;
    const ids = this.renderer.newIdScope();
    const base = this.renderer.vnow;
    const leak = this.ctx.faults.has('leak-monitoring');
    const fire = (line: ScriptLine) => {
      for (const target of this.ctx.hub.targets(this, line.to, leak)) {
        const at = (target === this ? base : target.renderer.vnow) + line.at;
        target.emitLine(line, at, target.renderContext({ request, vars, ids }), 'reply');
      }
    };
    const { speed } = this.ctx.options;
    for (const line of script.lines) {
      if (speed === 0 || line.at === 0) fire(line);
      else this.later(line.at / speed, () => fire(line));
    }
    return script;
  }

  /** Cancels script lines not yet sent (e.g. a cancelled chat response). */
  cancelPending(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Runs `fn` after `ms` unless the connection closes first. */
  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(t);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(t);
        this.timers.delete(t);
        this.sleepers.delete(wake);
        resolve();
      };
      const t = setTimeout(wake, ms);
      this.timers.add(t);
      this.sleepers.add(wake);
    });
  }
  private readonly sleepers = new Set<() => void>();

  /** The `unsolicited-reply` fault: a reply-only message sent right after connecting. */
  private sendUnsolicitedReply(): void {
    const replyOnly = new Set(replyOnlyMessages(this.ctx.spec));
    for (const [on, scripts] of this.ctx.fixture.scripts) {
      if (on.startsWith('$')) continue;
      const line = scripts[0].lines.find((l) => l.name && replyOnly.has(l.name));
      if (line) {
        const request = this.ctx.spec.message('send', on)?.examples[0];
        this.emitLine(line, this.renderer.vnow, this.renderContext({ request, ids: new Map() }), 'reply');
        return;
      }
    }
  }

  /** Closes the connection (1000 normal, 1001 going away, ...). */
  close(code: number, reason: string): void {
    if (this.closed) return this.wire.close(code, reason);
    this.shutdown();
    this.wire.close(code, reason);
  }

  /** Drops the connection without a close frame (a simulated crash). */
  terminate(): void {
    this.shutdown();
    this.wire.terminate();
  }

  /** The slow-consumer bound was passed: close 1008, then drop the connection if it cannot flush. */
  private cutOff(buffered: number): void {
    if (this.closed) return;
    this.shutdown();
    this.wire.close(1008, `slow consumer: ${buffered} bytes buffered (limit ${this.ctx.options.maxBufferedBytes})`);
    setTimeout(() => this.wire.terminate(), 1000).unref();
  }

  /** Stops every timer and the replay; called once when the connection ends. */
  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    this.cancelPending();
    for (const wake of [...this.sleepers]) wake();
    this.outbox.release();
    this.ctx.hub.delete(this);
    this.ctx.module.onClose?.(this);
  }
}

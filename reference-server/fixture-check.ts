/**
 * Checks a fixture against its protocol when it loads: every frame, rendered as the server would
 * send it, must validate against the protocol's schemas; every script trigger must be a client
 * message or a known `$hook`; every reply the document promises must have a script. A failure is
 * a WSC_FIXTURE error naming the file, the line and the schema error.
 */
import type { Spec } from '../src/spec/model.js';
import type { Validator } from '../src/spec/validator.js';
import { ReferenceServerError } from './errors.js';
import { FaultSet } from './faults.js';
import type { Fixture, FixtureLine } from './fixture.js';
import type { ProtocolModule } from './protocols/types.js';
import { FrameRenderer, type RenderContext } from './render.js';

/** The `$hooks` every protocol may script. */
export const GENERIC_HOOKS = ['$connect', '$invalid-json', '$unknown-message', '$non-object-json', '$auth-refused', '$invalid-message', '$write-refused', '$auth-revoked', '$admin-refused'];

/** Validates a loaded fixture; throws WSC_FIXTURE on the first problem. */
export function checkFixture(fixture: Fixture, spec: Spec, validator: Validator, module: ProtocolModule): void {
  const { file, header } = fixture;
  const fail = (line: number | undefined, message: string): never => {
    throw new ReferenceServerError('WSC_FIXTURE', message, { file, line });
  };
  if (header.protocol !== spec.id) fail(1, `the fixture is for protocol "${header.protocol}", not "${spec.id}"`);

  const check = (line: FixtureLine, frame: unknown) => {
    const result = validator.validate(frame, 'receive');
    if (result.valid) return;
    const issue = result.issues[0];
    const name = result.name ?? line.name ?? '(no name)';
    fail(line.line, `${name}: ${issue.message} (expected ${issue.expected}, got ${issue.actual}) [${issue.code}]`);
  };
  const noFaults = new FaultSet();
  const auth = { authenticated: false, write: true, admin: false };
  const conn = { ordinal: 1, channel: spec.channels[0]?.address ?? '/', user: 'user-1', room: 'session_1' };

  const streamRenderer = new FrameRenderer(spec, header, 1, 1, noFaults);
  for (const line of [...fixture.history, ...fixture.stream]) {
    const frame = render(streamRenderer, line, line.at, { auth, conn }, fail);
    // A recorded frame marked nonconforming is replayed as the recorded server sent it.
    if (!line.nonconforming) check(line, frame);
  }

  const hooks = new Set([...GENERIC_HOOKS, ...(module.hooks ?? [])]);
  for (const [on, scripts] of fixture.scripts) {
    const message = spec.message('send', on);
    if (!message && !hooks.has(on) && !(on.startsWith('$probe:') && spec.ext.robustness?.probes?.some((p) => `$probe:${p.id}` === on))) {
      fail(scripts[0].lines[0].line, `"on": "${on}" is neither a client message of ${spec.id} nor a hook (${[...hooks].join(', ')})`);
    }
    // A hook's sample request: a probe's own frame, the unknown-message probe's payload.
    const probe = spec.ext.robustness?.probes?.find((p) => `$probe:${p.id}` === on);
    const request = message?.examples[0] ?? probe?.frame ?? (on === '$unknown-message' ? spec.ext.robustness?.unknownMessage?.payload : undefined) ?? {};
    for (const script of scripts) {
      const renderer = new FrameRenderer(spec, header, 1, 1, noFaults);
      const ctx: RenderContext = { request, auth, conn, vars: module.sampleVars?.(on, header) ?? {}, ids: new Map() };
      for (const line of script.lines) check(line, render(renderer, line, line.at, ctx, fail));
    }
  }

  // What the document promises must be scriptable.
  const need = (on: string, why: string) => {
    if (!fixture.scripts.has(on)) fail(undefined, `no script for "${on}" (${why}); add a line {"on": "${on}", "frame": ...}`);
  };
  const handled = new Set(module.handles ?? []);
  for (const [name, replies] of spec.replies) if (replies.length && !handled.has(name)) need(name, `the document says ${name} is answered with ${replies.join(' or ')}`);
  if (spec.ext.robustness?.invalidJson?.action === 'reply') need('$invalid-json', 'the document answers invalid JSON');
  if (spec.ext.robustness?.unknownMessage?.action === 'reply') need('$unknown-message', 'the document answers unknown messages');
  if (spec.ext.robustness?.nonObjectJson?.action === 'reply') need('$non-object-json', 'the document answers JSON that is not a message object');
  for (const p of spec.ext.robustness?.probes ?? []) if (p.action === 'reply') need(`$probe:${p.id}`, `the document answers the ${p.id} probe`);
  if (spec.ext.auth?.writes?.length && spec.ext.auth.withoutToken !== 'refuse') need('$write-refused', 'writes without a valid token are refused');
  if (spec.ext.auth?.admin?.messages.length) need('$admin-refused', 'admin operations are refused to other clients');
  for (const on of module.requiredScripts ?? []) need(on, `the ${spec.id} module uses it`);

  // The connect script must send the initial messages in the documented order.
  const initial = spec.ext.initialMessages ?? [];
  if (initial.length) {
    need('$connect', `the document says the server sends ${initial.map((m) => m.message).join(', ')} on connection`);
    const names = fixture.scripts.get('$connect')![0].lines.map((l) => l.name).filter((n) => initial.some((m) => m.message === n));
    let i = 0;
    for (const rule of initial) {
      let count = 0;
      while (names[i] === rule.message) {
        i++;
        count++;
      }
      if ((rule.count ?? 'one') === 'one' && count !== 1) fail(fixture.scripts.get('$connect')![0].lines[0].line, `the $connect script must send ${rule.message} exactly once, in the order ${initial.map((m) => m.message).join(', ')}`);
    }
    if (i !== names.length) fail(fixture.scripts.get('$connect')![0].lines[0].line, `the $connect script sends the initial messages out of order (${names.join(', ')})`);
  }
}

function render(renderer: FrameRenderer, line: FixtureLine, at: number, ctx: RenderContext, fail: (line: number, m: string) => never): unknown {
  try {
    return renderer.render(line.template, at, ctx);
  } catch (err) {
    return fail(line.line, `cannot render the frame: ${(err as Error).message}`);
  }
}

/**
 * The round trip of `suggest` over every drift fault of the reference server, on every protocol
 * it applies to: record the faulted server, suggest, apply the patch to a copy of the document
 * and its schema files; then `validate` of the recording passes, `run` of the checks the fault
 * fails passes against the same faulted server, and `diff` classifies the change as the drift
 * calls for.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CHECKS } from '../../conformance/index.js';
import { FAULTS, startReferenceServer } from '../../reference-server/index.js';
import { caughtBy } from '../../reference-server/faults.js';
import { diffSpecs, type Party } from '../../src/diff/diff.js';
import { record } from '../../src/record/recorder.js';
import { runSuite } from '../../src/runner/index.js';
import { loadSpec } from '../../src/spec/load.js';
import type { Spec } from '../../src/spec/model.js';
import { readObserved } from '../../src/suggest/input.js';
import { suggest, type SuggestionKind } from '../../src/suggest/suggest.js';
import { ROOT, runCli } from '../helpers.js';

// Each case mostly waits (the recording's window, the run's observation): three at once.
vi.setConfig({ maxConcurrency: 3 });

/** Each drift fault, and the change it calls for. */
const DRIFT: Record<string, SuggestionKind> = {
  'timestamp-iso': 'timestamp-format',
  'rename-name-field': 'name-field',
  'batch-array': 'batching',
  'extra-event': 'new-message',
  'missing-field': 'optional',
  'rename-event': 'rename-message',
  'rename-field': 'rename-field',
  'null-field': 'widen-type',
};

/**
 * Where the evidence of a recording says otherwise, and why:
 * - extra-event on coda: where sequence numbers run, the fault sends coda's one system_info
 *   under an undocumented name instead of adding an event: no system_info is seen, and the
 *   undocumented event has exactly its shape. By the recording, that is a rename.
 * - rename-event on aragora: the renamed event (loop_register) has only the envelope's fields;
 *   nothing tells it from any other event, so it is a new message, not a guessed rename.
 */
const EXCEPT: Record<string, SuggestionKind[]> = {
  'extra-event coda': ['rename-message'],
  'rename-event aragora': ['new-message'],
  // The control plane documents two timestamp fields (timestamp, data.last_heartbeat): two drifts.
  'timestamp-iso aragora-control-plane': ['timestamp-format', 'timestamp-format'],
};

/** What diff must say of each kind of change: rule → parties it breaks. */
const CLASSIFIED: Record<SuggestionKind, Record<string, Party[]>> = {
  'timestamp-format': { 'timestamp-changed': ['clients', 'servers'] },
  'name-field': { 'name-field-changed': ['clients', 'servers'] },
  batching: { 'batching-allowed': ['clients'] },
  'new-message': { 'message-added': [] },
  'rename-message': { 'message-removed': ['clients', 'servers'], 'message-added': [] },
  optional: { 'field-optional': ['clients'] },
  'rename-field': { 'field-removed': ['clients'], 'field-required': ['servers'] },
  'widen-type': { 'type-widened': ['clients'] },
  'change-type': {},
  format: {},
  'widen-enum': {},
  'add-property': {},
};

const TOKENS = { token: 'matrix-user-token', adminToken: 'matrix-admin-token' };

/**
 * What the recording sends: what a run sends too (the document's triggers and its application
 * ping), so that the recording sees the replies the run will meet.
 */
function requests(spec: Spec): { at: number; frame: unknown }[] {
  const messages = (spec.ext.triggers ?? []).filter((t) => t.needs !== 'admin').map((t) => ({ name: t.message, payload: t.payload ?? spec.message('send', t.message)!.examples[0] }));
  const ping = spec.ext.keepalive?.appPing;
  if (ping) messages.push({ name: ping.ping, payload: ping.payload ?? spec.message('send', ping.ping)!.examples[0] });
  return messages.map((m, i) => ({ at: 100 + i * 50, frame: spec.transport === 'socket.io' ? [m.name, m.payload] : m.payload }));
}

/** A copy of the package's documents and schema files (relative $refs keep working). */
function copyDocuments(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wsconform-roundtrip-'));
  cpSync(join(ROOT, 'asyncapi'), join(dir, 'asyncapi'), { recursive: true });
  cpSync(join(ROOT, 'schemas'), join(dir, 'schemas'), { recursive: true });
  return dir;
}

describe.concurrent('suggest, round trip over the drift faults', () => {
  for (const fault of FAULTS.filter((f) => f.name in DRIFT)) {
    for (const protocol of fault.protocols) {
      const kinds = EXCEPT[`${fault.name} ${protocol}`] ?? [DRIFT[fault.name]];
      const kind = kinds[0];
      it(`${fault.name} on ${protocol}: ${kinds.join(', ')}, then validate, run and diff agree`, async () => {
        const dir = copyDocuments();
        const file = join(dir, 'asyncapi', `${protocol}.yaml`);
        const spec = await loadSpec(file);
        const server = await startReferenceServer({ protocol, port: 0, instant: true, keepaliveIntervalMs: 200, ...TOKENS, faults: [fault.name] });
        try {
          // Three seconds: on a loaded machine the replies to the requests come late, and the drift must be in the recording.
          const recording = await record({ spec, url: server.url, durationMs: 3000, token: TOKENS.token, send: requests(spec) });
          const recordingFile = join(dir, 'recording.jsonl');
          writeFileSync(recordingFile, recording.text);

          const report = await suggest(spec, readObserved(recording.text));
          expect(report.nonconformingBefore, recording.text).toBeGreaterThan(0);
          expect(report.suggestions.map((s) => s.kind), JSON.stringify(report.suggestions.map((s) => s.summary))).toEqual(kinds);
          expect(report.nonconformingAfter).toBe(0);
          for (const f of report.files) writeFileSync(f.file, f.after);

          const validated = await runCli(['validate', file, recordingFile], { timeoutMs: 60_000 });
          expect(validated.code, validated.stdout).toBe(0);

          const patched = await loadSpec(file, { parse: true });
          const catches = caughtBy(fault, protocol);
          const run = await runSuite(patched, CHECKS, { url: server.url, ...TOKENS, keepaliveIntervalMs: 200, timeoutMs: 10_000, observeMs: 500, only: catches });
          expect(Object.fromEntries(run.checks.filter((c) => catches.includes(c.id)).map((c) => [c.id, c.verdict])), JSON.stringify(run.checks.map((c) => [c.id, c.reason, c.findings.map((f) => f.message)]))).toEqual(Object.fromEntries(catches.map((id) => [id, 'pass'])));

          const changes = diffSpecs(await loadSpec(protocol), patched).changes;
          const rules = Object.fromEntries(changes.filter((c) => c.rule in CLASSIFIED[kind]).map((c) => [c.rule, c.breaks]));
          expect(rules, JSON.stringify(changes)).toEqual(CLASSIFIED[kind]);
          // Nothing else breaks anyone; a name field changed where replies keep the old one also
          // names those replies by shape (identify), which binds both sides alike.
          const also = kind === 'name-field' ? ['identify-changed'] : [];
          expect(changes.filter((c) => !(c.rule in CLASSIFIED[kind]) && !also.includes(c.rule) && c.breaks.length).map((c) => c.message)).toEqual([]);
        } finally {
          await server.close();
        }
      }, 120_000);
    }
  }
});

describe('suggest on a server with several drifts at once', () => {
  it('proposes one change per drift and nothing else (kiwi: five faults)', async () => {
    const dir = copyDocuments();
    const spec = await loadSpec(join(dir, 'asyncapi', 'kiwi.yaml'));
    const server = await startReferenceServer({ protocol: 'kiwi', port: 0, instant: true, faults: ['timestamp-iso', 'rename-name-field', 'batch-array', 'missing-field', 'extra-event'] });
    try {
      const recording = await record({ spec, url: server.url, durationMs: 2000 });
      const report = await suggest(spec, readObserved(recording.text));
      expect(report.suggestions.map((s) => s.kind).sort()).toEqual(['batching', 'name-field', 'new-message', 'optional', 'timestamp-format']);
      expect([report.nonconformingBefore, report.nonconformingAfter]).toEqual([report.messages, 0]);
    } finally {
      await server.close();
    }
  }, 60_000);
});

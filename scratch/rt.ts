import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReferenceServer, FAULTS } from '../reference-server/index.js';
import { record } from '../src/record/recorder.js';
import { loadSpec } from '../src/spec/load.js';
import { readObserved } from '../src/suggest/input.js';
import { suggest } from '../src/suggest/suggest.js';
import { diffSpecs } from '../src/diff/diff.js';
import { runSuite } from '../src/runner/index.js';
import { CHECKS } from '../conformance/index.js';
import { caughtBy } from '../reference-server/faults.js';
const ROOT = process.cwd();
const DRIFT = (process.argv[2] ?? 'timestamp-iso,rename-name-field,batch-array,extra-event,missing-field').split(',');
for (const fault of DRIFT) {
  const def = FAULTS.find((f) => f.name === fault)!;
  for (const protocol of (process.argv[3]?.split(',') ?? def.protocols).filter((p) => def.protocols.includes(p))) {
    const dir = mkdtempSync(join(tmpdir(), 'rt-'));
    cpSync(join(ROOT, 'asyncapi'), join(dir, 'asyncapi'), { recursive: true });
    cpSync(join(ROOT, 'schemas'), join(dir, 'schemas'), { recursive: true });
    const docFile = join(dir, 'asyncapi', `${protocol}.yaml`);
    const spec = await loadSpec(docFile);
    const TOKENS = { token: 'matrix-user-token', adminToken: 'matrix-admin-token' };
    const server = await startReferenceServer({ protocol, port: 0, instant: true, ...TOKENS, faults: [fault] });
    const send = (spec.ext.triggers ?? []).filter((t) => t.needs !== 'admin').map((t, i) => { const m = spec.message('send', t.message)!; const ex = t.payload ?? m.examples[0]; return { at: i * 50, frame: spec.transport === 'socket.io' ? [t.message, ex] : ex }; });
    const rec = await record({ spec, url: server.url, durationMs: 1200, token: TOKENS.token, send: spec.transport === 'socket.io' ? send : [] });
    const report = await suggest(spec, readObserved(rec.text));
    console.log(`\n== ${fault} on ${protocol}: ${rec.messages} msgs, before ${report.nonconformingBefore} after ${report.nonconformingAfter}`);
    for (const s of report.suggestions) console.log('  ', s.kind, '|', s.summary.slice(0, 160), '|', s.edits.length, 'edits');
    for (const n of report.notes) console.log('   note:', n.slice(0, 200));
    for (const f of report.files) writeFileSync(f.file, f.after);
    const patched = await loadSpec(docFile, { parse: true });
    const catches = caughtBy(def, protocol);
    const run = await runSuite(patched, CHECKS, { url: server.url, ...TOKENS, keepaliveIntervalMs: 200, timeoutMs: 2000, observeMs: 500 });
    const bad = run.checks.filter((c) => c.verdict === 'fail' || c.verdict === 'error' || c.verdict === 'non-strict');
    for (const c of bad) console.log("   F", c.id, JSON.stringify(c.findings.map(f=>[f.message, f.occurrences?.[0]?.actual ?? f.actual])).slice(0,300));
    console.log("   run:", catches.map((id) => `${id}=${run.checks.find((c) => c.id === id)?.verdict}`).join(' '), 'others failing:', bad.filter((c) => !catches.includes(c.id)).map((c) => `${c.id}:${c.findings[0]?.message ?? c.reason}`).join('; '));
    const d = diffSpecs(await loadSpec(protocol), patched);
    for (const c of d.changes) console.log('   diff:', c.breaks.join('+') || 'none', c.rule, c.message.slice(0, 100));
    await server.close();
  }
}

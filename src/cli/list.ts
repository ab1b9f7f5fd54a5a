/** `wsconform list <protocol|file> [--json]`: every check, and whether it applies to the document. */
import { CHECKS } from '../../conformance/index.js';
import { renderBasis } from '../runner/basis.js';
import { loadSpec } from '../spec/load.js';
import type { CommandImpl } from './commands.js';

const impl: CommandImpl = async ({ args, opts, io }) => {
  const spec = await loadSpec(args[0]!);
  const checks = CHECKS.map((c) => {
    const applies = c.appliesTo(spec);
    const basis = applies === true ? c.basis(spec) : [];
    return { id: c.id, category: c.category, level: c.level, description: c.description, requirement: c.requirement, basis, quote: basis.map(renderBasis).join(' · '), applies: applies === true, ...(applies === true ? {} : { reason: applies }) };
  });
  if (opts.json) {
    io.out.write(JSON.stringify({ spec: { id: spec.id, title: spec.title, version: spec.version, file: spec.file }, checks }, null, 2) + '\n');
    return 0;
  }
  const width = Math.max(...checks.map((c) => c.id.length)) + 2;
  const catWidth = Math.max(...checks.map((c) => c.category.length)) + 2;
  const applying = checks.filter((c) => c.applies).length;
  io.out.write(`${spec.title} (${spec.id} ${spec.version}): ${checks.length} checks, ${applying} apply\n\n`);
  for (const c of checks) {
    io.out.write(`${c.id.padEnd(width)}${c.category.padEnd(catWidth)}${c.level.padEnd(8)}${c.applies ? 'applies' : `not applicable: ${c.reason}`}\n`);
    io.out.write(`  ${c.requirement}\n`);
    if (c.quote) io.out.write(`  Basis: ${c.quote}\n`);
  }
  return 0;
};

export default impl;

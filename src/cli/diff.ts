/** `wsconform diff <old> <new>`: every change between two documents, classified (src/diff/diff.ts). */
import { diffSpecs, type Change, type DiffReport } from '../diff/diff.js';
import { loadSpec } from '../spec/load.js';
import type { CommandImpl } from './commands.js';

const impl: CommandImpl = async ({ args, opts, io }) => {
  const [before, after] = args as [string, string];
  const report = diffSpecs(await loadSpec(before), await loadSpec(after));
  const format = String(opts.format ?? 'pretty');
  io.out.write(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : format === 'markdown' ? markdown(report) : pretty(report));
  const failOn = String(opts.failOn ?? 'breaking');
  return (failOn === 'any' ? report.summary.changes : report.summary.breaking) > 0 ? 1 : 0;
};
export default impl;

const breaks = (c: Change) => (c.breaks.length ? `breaks ${c.breaks.join(' and ')}` : 'breaks no one');

function pretty(r: DiffReport): string {
  const lines = [`wsconform diff: ${r.old.file} → ${r.new.file}`, ''];
  for (const c of [...r.changes].sort((x, y) => y.breaks.length - x.breaks.length)) {
    lines.push(`  ${c.breaks.length ? 'BREAKING' : 'ok      '}  ${c.message}  [${c.rule}]`);
    lines.push(`            ${breaks(c)}: ${c.reason}`);
  }
  if (!r.changes.length) lines.push('  no change that affects conformance');
  lines.push('', summary(r), '');
  return lines.join('\n');
}

function summary(r: DiffReport): string {
  return `${r.summary.changes} change(s), ${r.summary.breaking} breaking (${r.summary.clients} for clients, ${r.summary.servers} for servers)`;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function markdown(r: DiffReport): string {
  const lines = [`### wsconform diff: \`${r.old.id}\` ${r.old.version} → ${r.new.version}`, '', `**${summary(r)}**`, ''];
  if (r.changes.length) {
    lines.push('| | change | breaks | why | rule |', '| --- | --- | --- | --- | --- |');
    for (const c of [...r.changes].sort((x, y) => y.breaks.length - x.breaks.length)) lines.push(`| ${c.breaks.length ? '🔴' : '🟢'} | ${cell(c.message)} | ${c.breaks.join(', ') || '—'} | ${cell(c.reason)} | \`${c.rule}\` |`);
  } else lines.push('No change that affects conformance.');
  return `${lines.join('\n')}\n`;
}

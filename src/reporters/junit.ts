/**
 * The `junit` reporter: JUnit XML (one testsuite per run, one testcase per check with
 * classname = category), as CI systems read it: `failure` with expected/actual, `error` for kit
 * errors, `skipped` with the reason; a non-strict SHOULD passes with a note in system-out.
 */
import type { CheckResult, RunReport } from '../runner/types.js';
import { failureLines } from './pretty.js';
import type { ReporterFactory } from './types.js';

/** Escapes text for XML content and attributes, dropping characters XML 1.0 forbids. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function testcase(r: CheckResult): string {
  const open = `    <testcase name="${xmlEscape(r.id)}" classname="${xmlEscape(r.category)}" time="${seconds(r.durationMs)}"`;
  const details = xmlEscape(failureLines(r).join('\n'));
  const first = r.findings[0];
  switch (r.verdict) {
    case 'pass':
      return `${open}/>`;
    case 'skip':
      return `${open}>\n      <skipped message="${xmlEscape(r.reason ?? '')}"/>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error message="${xmlEscape(r.reason ?? 'error')}" type="error">${details}</error>\n    </testcase>`;
    case 'non-strict':
      return `${open}>\n      <system-out>${xmlEscape(`non-strict (${r.level} missed; fails under --strict)\n`)}${details}</system-out>\n    </testcase>`;
    case 'fail':
      return `${open}>\n      <failure message="${xmlEscape(first ? `${first.message}: expected ${first.expected}, actual ${first.actual}` : 'failed')}" type="${r.level}">${details}</failure>\n    </testcase>`;
  }
}

/** The JUnit XML of a report. */
export function junitXml(report: RunReport): string {
  const s = report.summary;
  const problems = report.problems ?? [];
  // A run unfit to pass (refused, nothing observed) is one failing testcase of its own, so a CI
  // that reads only the XML sees it too.
  const runCase = problems.length
    ? [`    <testcase name="run" classname="wsconform" time="${seconds(report.durationMs)}">\n      <failure message="${xmlEscape(problems[0])}" type="run">${xmlEscape(problems.join('\n'))}</failure>\n    </testcase>`]
    : [];
  const attrs = `tests="${s.total + runCase.length}" failures="${s.failed + runCase.length}" errors="${s.errors}" skipped="${s.skipped}" time="${seconds(report.durationMs)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="wsconform" ${attrs}>`,
    `  <testsuite name="${xmlEscape(`${report.spec.id} ${report.url}`)}" ${attrs} timestamp="${report.startedAt.replace(/Z$/, '')}">`,
    '    <properties>',
    `      <property name="spec" value="${xmlEscape(report.spec.file)}"/>`,
    `      <property name="url" value="${xmlEscape(report.url)}"/>`,
    `      <property name="tool" value="${xmlEscape(`${report.tool.name} ${report.tool.version}`)}"/>`,
    '    </properties>',
    ...runCase,
    ...report.checks.map(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** Builds the junit reporter. */
export const junit: ReporterFactory = (out) => ({
  onRunEnd(report) {
    out.write(junitXml(report));
  },
});

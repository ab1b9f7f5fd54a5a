/**
 * The `html` reporter: one self-contained page (inline CSS and a small inline script, no request
 * of any kind) written when the run ends: the summary, every check with its verdict, level,
 * requirement, quote, skip reason and findings (expected / actual / count / occurrences), the
 * wire log around each occurrence (`Occurrence.transcript`), and checkboxes filtering by verdict.
 * Every report value is escaped (frames are hostile input); a Content-Security-Policy allows no
 * network access and only the page's own script, by hash.
 */
import { createHash } from 'node:crypto';
import type { BaselineEntry, BaselineStatus, CheckResult, Finding, Occurrence, RunReport, TranscriptFrame, Verdict } from '../runner/types.js';
import type { ReporterFactory } from './types.js';

/** Frames the CLI keeps before and after each occurrence when the html reporter is requested. */
export const HTML_CONTEXT_FRAMES = 3;

/** Escapes text for HTML content and attribute values. */
export function htmlEscape(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const VERDICTS: { verdict: Verdict; label: string; count: keyof RunReport['summary'] }[] = [
  { verdict: 'pass', label: 'passed', count: 'passed' },
  { verdict: 'fail', label: 'failed', count: 'failed' },
  { verdict: 'non-strict', label: 'non-strict', count: 'nonStrict' },
  { verdict: 'skip', label: 'skipped', count: 'skipped' },
  { verdict: 'error', label: 'errors', count: 'errors' },
];
const BADGE: Record<Verdict, string> = { pass: 'PASS', fail: 'FAIL', 'non-strict': 'WARN', skip: 'SKIP', error: 'ERROR' };

const CSS = `
:root{--pass:#1a7f37;--fail:#cf222e;--non-strict:#9a6700;--skip:#6e7781;--error:#8250df;font-family:system-ui,sans-serif;color:#1f2328}
body{margin:0 auto;max-width:72rem;padding:1rem 1.5rem}
h1{font-size:1.4rem;margin:.2rem 0 .8rem}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0 0 1rem}
dl.meta dt{color:#57606a}dl.meta dd{margin:0}
.counts{display:flex;gap:.5rem;flex-wrap:wrap;margin:0 0 1rem;padding:0;list-style:none}
.counts li{border:1px solid #d0d7de;border-radius:6px;padding:.3rem .7rem}
.counts b{font-size:1.2rem}
.filters{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid #d0d7de;margin-bottom:.8rem}
.filters label{margin-right:1rem;white-space:nowrap}
.check{border:1px solid #d0d7de;border-left:6px solid var(--skip);border-radius:6px;margin:.5rem 0;padding:.4rem .8rem}
.check[data-verdict=pass]{border-left-color:var(--pass)}.check[data-verdict=fail]{border-left-color:var(--fail)}
.check[data-verdict=non-strict]{border-left-color:var(--non-strict)}.check[data-verdict=error]{border-left-color:var(--error)}
[hidden]{display:none!important}
summary{cursor:pointer}
.badge{display:inline-block;min-width:3.5rem;font-weight:700;font-family:ui-monospace,monospace}
.badge.pass{color:var(--pass)}.badge.fail{color:var(--fail)}.badge.non-strict{color:var(--non-strict)}.badge.skip{color:var(--skip)}.badge.error{color:var(--error)}
.id{font-family:ui-monospace,monospace;font-weight:600}.muted{color:#57606a}
blockquote{margin:.3rem 0;padding-left:.8rem;border-left:3px solid #d0d7de;color:#57606a}
.finding{margin:.6rem 0;padding:.4rem .6rem;background:#f6f8fa;border-radius:6px}
.finding dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:.3rem 0}
.finding dt{color:#57606a}.finding dd{margin:0;white-space:pre-wrap;word-break:break-word}
code,pre{font-family:ui-monospace,monospace;font-size:.85rem}
pre{white-space:pre-wrap;word-break:break-all;margin:.2rem 0}
table.transcript{border-collapse:collapse;width:100%;margin:.3rem 0}
table.transcript td{border-top:1px solid #d0d7de;padding:.1rem .4rem;vertical-align:top;font-family:ui-monospace,monospace;font-size:.8rem}
table.transcript td.frame{white-space:pre-wrap;word-break:break-all}
table.transcript tr.offending{background:#ffebe9}
`;

const SCRIPT = `
(function(){
  var boxes=[].slice.call(document.querySelectorAll('input[data-filter]'));
  function apply(){
    var off={};boxes.forEach(function(b){if(!b.checked)off[b.getAttribute('data-filter')]=true;});
    var shown=0;[].slice.call(document.querySelectorAll('.check')).forEach(function(c){var h=!!off[c.getAttribute('data-verdict')];c.hidden=h;if(!h)shown++;});
    document.getElementById('shown').textContent=String(shown);
  }
  function only(list){boxes.forEach(function(b){b.checked=list.indexOf(b.getAttribute('data-filter'))>=0;});apply();}
  boxes.forEach(function(b){b.addEventListener('change',apply);});
  document.getElementById('show-all').addEventListener('click',function(){only(['pass','fail','non-strict','skip','error']);});
  document.getElementById('show-problems').addEventListener('click',function(){only(['fail','non-strict','error']);});
  apply();
})();
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const CSP = `default-src 'none'; style-src ${sha256(CSS)}; script-src ${sha256(SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`;

function transcriptTable(rows: TranscriptFrame[], offending: number | undefined): string {
  const body = rows
    .map((t) => `<tr${t.frameIndex === offending ? ' class="offending"' : ''}><td>#${t.frameIndex}</td><td>${htmlEscape(t.at)} ms</td><td title="${t.dir === 'in' ? 'server → client' : 'client → server'}">${t.dir === 'in' ? '←' : '→'}</td><td class="frame">${htmlEscape(t.frame)}</td></tr>`)
    .join('');
  return `<table class="transcript"><tbody>${body}</tbody></table>`;
}

function occurrence(o: Occurrence): string {
  const where = [
    o.frameIndex !== undefined ? `frame #${o.frameIndex}` : undefined,
    o.connection ? `on ${o.connection}` : undefined,
    o.path ? `at ${o.path}` : undefined,
    o.schemaPath ? `schema ${o.schemaPath}` : undefined,
  ].filter(Boolean) as string[];
  const head = `<div class="where muted">${htmlEscape(where.join(', ') || 'the connection')}</div>`;
  if (o.transcript?.length) return `<li class="occurrence">${head}${transcriptTable(o.transcript, o.frameIndex)}</li>`;
  return `<li class="occurrence">${head}${o.frame !== undefined ? `<pre>${htmlEscape(o.frame)}</pre>` : ''}</li>`;
}

function finding(f: Finding): string {
  return `<div class="finding"><div><b>${htmlEscape(f.message)}</b>${f.count > 1 ? ` <span class="muted">(${f.count} times)</span>` : ''}</div>
<dl><dt>Expected</dt><dd class="expected">${htmlEscape(f.expected)}</dd><dt>Actual</dt><dd class="actual">${htmlEscape(f.actual)}</dd><dt>Count</dt><dd class="count">${f.count}</dd></dl>
${f.occurrences.length ? `<ol class="occurrences">${f.occurrences.map(occurrence).join('')}</ol>` : ''}</div>`;
}

function check(c: CheckResult): string {
  const open = c.verdict === 'fail' || c.verdict === 'non-strict' || c.verdict === 'error' ? ' open' : '';
  const reason = c.reason ? `<p class="reason"><span class="muted">${c.verdict === 'skip' ? 'Skipped' : 'Error'}:</span> ${htmlEscape(c.reason)}</p>` : '';
  return `<section class="check" id="${htmlEscape(`check-${c.id}`)}" data-verdict="${c.verdict}"><details${open}>
<summary><span class="badge ${c.verdict}">${BADGE[c.verdict]}</span> <span class="id">${htmlEscape(c.id)}</span> <span class="muted">${c.level} · ${htmlEscape(c.category)} · ${c.durationMs} ms</span></summary>
<p class="description">${htmlEscape(c.description)}</p>
<p class="requirement"><span class="muted">Requirement:</span> ${htmlEscape(c.requirement)}</p>
<blockquote class="quote">${htmlEscape(c.quote)}</blockquote>
${reason}${c.findings.map(finding).join('\n')}
</details></section>`;
}

function baselineSection(b: BaselineStatus): string {
  const list = (title: string, cls: string, entries: BaselineEntry[]) =>
    entries.length ? `<h3>${title} (${entries.length})</h3><ul class="${cls}">${entries.map((e) => `<li><span class="id">${htmlEscape(e.id)}</span>: ${htmlEscape(e.message)}</li>`).join('')}</ul>` : '';
  const head = b.updated ? `recorded in ${b.file}` : `${b.file}${b.createdAt ? ` (created ${b.createdAt})` : ''}`;
  return `<section class="baseline"><h2>Baseline ${htmlEscape(head)}</h2>
${list('New failures', 'new', b.new)}${list('Still known', 'known', b.known)}${list('Fixed since baseline', 'fixed', b.fixed)}${list('Not verified (check did not run)', 'unverified', b.unverified)}</section>`;
}

/** The whole page of a report. */
export function htmlReport(report: RunReport): string {
  const s = report.summary;
  const counts = VERDICTS.map((v) => `<li class="${v.verdict}" data-verdict="${v.verdict}"><b>${s[v.count]}</b> ${v.label}</li>`).join('');
  const filters = VERDICTS.map((v) => `<label><input type="checkbox" data-filter="${v.verdict}" checked> ${BADGE[v.verdict]} (${s[v.count]})</label>`).join('');
  const title = `wsconform: ${report.spec.title} at ${report.url}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${htmlEscape(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${htmlEscape(title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${htmlEscape(report.spec.title)} <span class="muted">(${htmlEscape(report.spec.id)} ${htmlEscape(report.spec.version)})</span></h1>
<dl class="meta">
<dt>Server</dt><dd class="url">${htmlEscape(report.url)}</dd>
<dt>Document</dt><dd>${htmlEscape(report.spec.file)}</dd>
<dt>Started</dt><dd>${htmlEscape(report.startedAt)}</dd>
<dt>Duration</dt><dd class="duration">${report.durationMs} ms</dd>
<dt>Tool</dt><dd class="tool">${htmlEscape(report.tool.name)} ${htmlEscape(report.tool.version)}</dd>
</dl>
<ul class="counts" id="summary">${counts}<li data-verdict="total"><b>${s.total}</b> checks</li></ul>
${report.baseline ? baselineSection(report.baseline) : ''}
<div class="filters">${filters}<button type="button" id="show-all">All</button> <button type="button" id="show-problems">Problems only</button> <span class="muted"><span id="shown">${s.total}</span> shown</span></div>
<main>
${report.checks.map(check).join('\n')}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** Builds the html reporter. */
export const html: ReporterFactory = (out) => ({
  onRunEnd(report) {
    out.write(htmlReport(report));
  },
});

/**
 * The html reporter, rendered: a real `wsconform run` against the kiwi reference server with the
 * timestamp-iso fault and a fixture holding hostile text, opened in headless Chromium (Debian's
 * /usr/bin/chromium, driven by playwright-core, which never downloads a browser).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer } from '../../reference-server/index.js';
import { htmlEscape, htmlReport } from '../../src/reporters/index.js';
import type { RunReport } from '../../src/runner/types.js';
import { ROOT, runCli } from '../helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCRIPT = '</script><script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(2)>';

const dir = mkdtempSync(join(tmpdir(), 'wsconform-html-'));
const htmlFile = join(dir, 'report.html');
let report: RunReport;
let context: BrowserContext;
let page: Page;
const requests: string[] = [];
const dialogs: string[] = [];

beforeAll(async () => {
  // Fails loudly (never skips) when the browser is missing: CI installs it.
  expect(existsSync(CHROMIUM), `${CHROMIUM} is required by this test: apt-get install chromium`).toBe(true);
  const fixture = readFileSync(join(ROOT, 'fixtures/kiwi/voice-session.jsonl'), 'utf8').replace('"turn on the lights"', JSON.stringify(SCRIPT)).replace('"text": "kiwi"', `"text": ${JSON.stringify(IMG)}`);
  writeFileSync(join(dir, 'hostile.jsonl'), fixture);
  const server = await startReferenceServer({ protocol: 'kiwi', port: 0, instant: true, faults: ['timestamp-iso'], fixture: join(dir, 'hostile.jsonl') });
  try {
    const r = await runCli(['run', 'kiwi', '--url', server.url, '--timeout', '1000', '--observe', '400', '--reporter', `html:${htmlFile}`, '--reporter', `json:${join(dir, 'report.json')}`]);
    // File reporters only: nothing on standard output, one summary line on standard error.
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toMatch(/^wsconform: kiwi: 13 passed, 1 failed, 21 skipped, 0 non-strict, 0 errors \(\d+ ms\); reports: .*report\.html, .*report\.json\n$/);
  } finally {
    await server.close();
  }
  report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'wsconform-chromium-')), { executablePath: CHROMIUM, args: ARGS, headless: true });
  context.on('request', (req) => requests.push(req.url()));
  page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(pathToFileURL(htmlFile).href);
}, 60_000);

afterAll(async () => {
  await context?.close();
});

const check = (id: string) => page.locator(`section.check[id="check-${id}"]`);

describe('the html report, rendered in Chromium', () => {
  it('shows the counts per verdict, the server url and the tool version', async () => {
    expect(report.summary).toEqual({ passed: 13, failed: 1, nonStrict: 0, skipped: 21, errors: 0, total: 35 });
    expect(await page.locator('#summary li').allTextContents()).toEqual(['13 passed', '1 failed', '0 non-strict', '21 skipped', '0 errors', '35 checks']);
    expect(await page.locator('dd.url').textContent()).toBe(report.url);
    expect(await page.locator('dd.tool').textContent()).toBe(`wsconform ${report.tool.version}`);
    expect(await page.locator('section.check').count()).toBe(35);
  });

  it("shows a failing check's verdict, requirement, expected and actual", async () => {
    const failing = check('envelope/timestamps');
    expect(await failing.getAttribute('data-verdict')).toBe('fail');
    expect(await failing.locator('.badge').textContent()).toBe('FAIL');
    expect(await failing.locator('.requirement').textContent()).toBe('Requirement: Every timestamp field uses the documented representation (epoch seconds, epoch milliseconds or ISO 8601), and a drift is named precisely.');
    expect(await failing.locator('.finding .expected').textContent()).toBe('epoch seconds as a number (e.g. 1709000000.0)');
    expect(await failing.locator('.finding .actual').textContent()).toBe('an ISO 8601 string "2024-02-27T02:13:20Z"');
    expect(await failing.locator('.finding .count').textContent()).toBe('30');
    expect(await check('auth/valid-token').locator('.reason').textContent()).toBe('Skipped: the document has no authentication');
  });

  it('shows the frames around each occurrence, the offending frame marked, as the report holds them', async () => {
    // The client's ping may be sent before or amid the instant stream: indexes come from the report.
    const occurrences = report.checks.find((c) => c.id === 'envelope/timestamps')!.findings[0].occurrences;
    const first = check('envelope/timestamps').locator('li.occurrence').first();
    const k = occurrences[0].frameIndex!;
    expect(await first.locator('.where').textContent()).toBe(`frame #${k}, at $.timestamp`);
    expect(await first.locator('tr td:first-child').allTextContents()).toEqual(occurrences[0].transcript!.map((t) => `#${t.frameIndex}`));
    expect(occurrences[0].transcript!.map((t) => t.frameIndex)).toEqual(Array.from({ length: Math.min(k, 3) + 4 }, (_, i) => k - Math.min(k, 3) + i));
    expect(await first.locator('tr.offending td:first-child').textContent()).toBe(`#${k}`);
    expect(await first.locator('tr.offending td.frame').textContent()).toBe(`{"event":"WAKE_WORD_DETECTED","data":{"text":${JSON.stringify(IMG)}},"timestamp":"2024-02-27T02:13:20Z","source":"listener"}`);
    expect(await first.locator('td.frame').allTextContents()).toEqual(occurrences[0].transcript!.map((t) => t.frame));
    expect(await first.locator('tr.offending td:nth-child(3)').textContent()).toBe('←');
  });

  it('shows hostile frames as text: no script runs and no element is injected', async () => {
    const frames = await check('envelope/timestamps').locator('li.occurrence').first().locator('td.frame').allTextContents();
    expect(frames).toContain(`{"event":"SPEECH_RECOGNIZED","data":{"text":${JSON.stringify(SCRIPT)},"language":"en"},"timestamp":"2024-02-27T02:13:21.840Z","source":"stt"}`);
    expect(await page.evaluate(() => [document.scripts.length, document.images.length])).toEqual([1, 0]);
    expect(dialogs).toEqual([]);
  });

  it('hides the passing checks when the pass filter is unticked, and shows them again', async () => {
    await page.locator('input[data-filter="pass"]').click();
    expect(await page.locator('section.check[data-verdict="pass"]:visible').count()).toBe(0);
    expect(await page.locator('section.check:visible').count()).toBe(22);
    expect(await page.locator('#shown').textContent()).toBe('22');
    await page.locator('#show-problems').click();
    expect(await page.locator('section.check:visible').evaluateAll((els) => els.map((e) => e.id))).toEqual(['check-envelope/timestamps']);
    await page.locator('#show-all').click();
    expect(await page.locator('section.check:visible').count()).toBe(35);
  });

  it('made no network request: the page is the only thing loaded', async () => {
    expect(requests).toEqual([pathToFileURL(htmlFile).href]);
  });
});

describe('the html reporter', () => {
  it('keeps tokens redacted in the page, transcripts included', async () => {
    const server = await startReferenceServer({ protocol: 'aragora', port: 0, instant: true, token: 'tok-SECRET-2', faults: ['echo-token'] });
    const file = join(dir, 'echo.html');
    try {
      const r = await runCli(['run', 'aragora', '--url', server.url, '--token', 'tok-SECRET-2', '--timeout', '1000', '--observe', '400', '--strict', '--only', 'auth', '--reporter', `html:${file}`]);
      expect(r.code).toBe(1);
    } finally {
      await server.close();
    }
    const page = readFileSync(file, 'utf8');
    expect(page).not.toContain('tok-SECRET-2');
    expect(page).toMatch(/<tr class="offending">(?:(?!<\/tr>).)*\*\*\*/);
  });
});

describe('htmlReport', () => {
  it('escapes every character that could open markup or end an attribute', () => {
    expect(htmlEscape(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('shows the occurrence frame itself when the run kept no transcript, and the baseline status when there is one', () => {
    const page = htmlReport({
      tool: { name: 'wsconform', version: '0.1.0' },
      spec: { id: 'kiwi', title: 'Kiwi', version: '1.0.0', file: '/x/kiwi.yaml' },
      url: 'ws://127.0.0.1:1/api/events',
      startedAt: '2026-01-01T00:00:00.000Z',
      durationMs: 5,
      summary: { passed: 0, failed: 1, nonStrict: 0, skipped: 0, errors: 0, total: 1 },
      checks: [{ id: 'envelope/json-objects', category: 'envelope', level: 'MUST', description: 'd', requirement: 'r', basis: [{ quote: 'q' }], quote: '"q"', verdict: 'fail', durationMs: 1, findings: [{ message: 'm', expected: 'e', actual: 'a', count: 1, occurrences: [{ frameIndex: 3, frame: SCRIPT }] }] }],
      baseline: { file: 'b.json', updated: false, createdAt: '2026-01-01T00:00:00.000Z', new: [], known: [], fixed: [{ id: 'ping-pong/app-ping', message: 'No pong answered ping' }], unverified: [] },
    });
    expect(page).toContain(`<pre>${htmlEscape(SCRIPT)}</pre>`);
    expect(page).not.toContain(SCRIPT);
    expect(page).toContain('<h3>Fixed since baseline (1)</h3><ul class="fixed"><li><span class="id">ping-pong/app-ping</span>: No pong answered ping</li></ul>');
  });
});

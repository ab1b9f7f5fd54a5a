#!/usr/bin/env node
// What a CI gate pays to install wsconform: packs this checkout, installs the tarball into an
// empty project (from the npm registry, so this is a script, not a test), and reports the
// packages, the size on disk, the time and any install-time script. Then it does what a gate
// does: `npx wsconform serve kiwi` and `npx wsconform run kiwi` against it, from that install.
//
//   npm run install-size            (prints the figures; exits 1 if the smoke run fails)
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'wsconform-install-'));
const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

function du(path) {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, entry.name);
    if (entry.isDirectory()) total += du(p);
    else if (entry.isFile()) total += statSync(p).size;
  }
  return total;
}

try {
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: root, env, encoding: 'utf8' }).trim().split('\n').pop();
  const tgz = statSync(join(dir, tarball)).size;
  writeFileSync(join(dir, 'package.json'), '{"name":"gate","version":"1.0.0","private":true}\n');
  const started = Date.now();
  const log = execFileSync('npm', ['install', '--no-audit', '--no-fund', `./${tarball}`], { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const seconds = (Date.now() - started) / 1000;
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
  const installed = Object.entries(lock.packages).filter(([path]) => path.startsWith('node_modules/'));
  const withScripts = installed.filter(([, p]) => p.hasInstallScript).map(([path]) => path.replace(/^.*node_modules\//, ''));
  const bytes = du(join(dir, 'node_modules'));
  console.log(`tarball ${(tgz / 1e3).toFixed(0)} kB; installed ${installed.length} packages (wsconform and ${installed.length - 1} dependencies), ${(bytes / 2 ** 20).toFixed(1)} MiB on disk, in ${seconds.toFixed(1)} s`);
  console.log(`install-time scripts: ${withScripts.length ? withScripts.join(', ') : 'none'}`);
  if (/added \d+ packages?/.test(log)) console.log(`npm: ${/added \d+ packages?[^\n]*/.exec(log)[0]}`);

  // The gate: serve and run through npx, from the install.
  const serve = spawn('npx', ['--offline', 'wsconform', 'serve', 'kiwi', '--port', '0', '--instant'], { cwd: dir, env });
  let served = '';
  serve.stdout.on('data', (d) => (served += d));
  serve.stderr.on('data', (d) => (served += d));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${served}`)), 20_000);
    serve.stdout.on('data', () => {
      const m = /(ws:\/\/\S+)/.exec(served);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  const run = spawn('npx', ['--offline', 'wsconform', 'run', 'kiwi', '--url', url], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  run.stdout.on('data', (d) => (out += d));
  const code = await new Promise((resolve) => run.on('close', resolve));
  serve.kill('SIGTERM');
  await new Promise((resolve) => serve.on('close', resolve));
  console.log(`npx wsconform run kiwi against npx wsconform serve kiwi: exit ${code}; ${out.trim().split('\n').pop()}`);
  process.exitCode = code === 0 ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

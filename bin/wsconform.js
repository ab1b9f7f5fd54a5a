#!/usr/bin/env node
// Entry point of the wsconform CLI: loads the compiled CLI from dist/ (built by `npm run build`,
// which `npm ci` runs through the prepare script).
// A reader that stops early (`| head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
import('../dist/src/cli/main.js').then(
  async ({ main }) => {
    // Under npx or an npm script a SIGTERM kills npm's shell, not node: see parent.ts.
    (await import('../dist/src/cli/parent.js')).stopWithNpmParent();
    process.exitCode = await main(process.argv);
  },
  (err) => {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/src/cli/main.js')) {
      process.stderr.write('wsconform: the compiled CLI is missing; run `npm run build` (or `npm ci`) first\n');
    } else {
      process.stderr.write(`wsconform: ${err && err.stack ? err.stack : err}\n`);
    }
    process.exitCode = 2;
  },
);

/**
 * `wsconform docs`: documentation for protocols with @asyncapi/generator and its HTML and
 * Markdown templates, offline. The generator and templates are optional peer dependencies:
 * `wsconform run` never loads them, and a missing one gives an install hint, not a stack trace.
 */
import { outputDir } from './output.js';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { loadSpec } from '../spec/load.js';
import { BUILTIN_PROTOCOLS, specFile } from '../spec/paths.js';
import type { CommandImpl } from './commands.js';
import { UsageError } from './main.js';

const TEMPLATES = { html: '@asyncapi/html-template', markdown: '@asyncapi/markdown-template' } as const;
type Format = keyof typeof TEMPLATES;

const INSTALL_HINT = 'PUPPETEER_SKIP_DOWNLOAD=1 npm install --save-dev @asyncapi/generator @asyncapi/html-template @asyncapi/markdown-template';

/** Whether a package can be resolved from wsconform's own location. */
function resolvable(name: string): boolean {
  try {
    createRequire(import.meta.url).resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/** Generates docs for one AsyncAPI file in one format into `outDir`. */
export async function generateDocs(file: string, format: Format, outDir: string): Promise<void> {
  for (const pkg of ['@asyncapi/generator', TEMPLATES[format]]) {
    if (!resolvable(pkg)) throw new UsageError(`wsconform docs needs ${pkg}, which is not installed. Install the docs tooling with:\n  ${INSTALL_HINT}`);
  }
  const { default: Generator } = (await import('@asyncapi/generator' as string)) as { default: new (t: string, o: string, opts: object) => { generateFromFile(f: string): Promise<void> } };
  outputDir(outDir, '--out');
  const generator = new Generator(TEMPLATES[format], outDir, {
    forceWrite: true,
    install: false,
    templateParams: format === 'html' ? { singleFile: 'true' } : { outFilename: 'index.md' },
  });
  await generator.generateFromFile(file);
}

const impl: CommandImpl = async ({ args, opts, io }) => {
  const ref = args[0]!;
  const refs = ref === 'all' ? [...BUILTIN_PROTOCOLS] : [ref];
  const formats: Format[] = opts.format === 'both' ? ['html', 'markdown'] : [opts.format as Format];
  const out = resolve(String(opts.out));
  outputDir(out, '--out');
  for (const r of refs) {
    const spec = await loadSpec(r); // a malformed document fails here, with file and line
    for (const format of formats) {
      const dir = refs.length > 1 || formats.length > 1 ? join(out, spec.id, format) : out;
      const started = Date.now();
      await generateDocs(specFile(r), format, dir);
      io.out.write(`docs: ${spec.id} (${format}) → ${join(dir, format === 'html' ? 'index.html' : 'index.md')} in ${Date.now() - started} ms\n`);
    }
  }
  return 0;
};

export default impl;

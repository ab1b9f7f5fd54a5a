/** `npm run generate`: regenerates schemas/ and asyncapi/ from the TypeScript sources. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateAll } from './generate-lib.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const files = await generateAll(root, process.argv.slice(2));
for (const [rel, content] of files) {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), content);
}
console.log(`generate: wrote ${files.size} files (schemas/, asyncapi/)`);

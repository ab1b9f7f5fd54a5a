import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../spec/paths.js';

/** The package version. */
export const VERSION: string = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version;

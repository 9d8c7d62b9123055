import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { appRoot } from './paths.js';

let cached: string | undefined;

export const appVersion = (): string => {
  cached ??= z
    .object({ version: z.string() })
    .parse(JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8'))).version;
  return cached;
};

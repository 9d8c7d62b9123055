import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** bench/results.json at the repository root, whether run from sources or from dist/. */
export const resultsPath = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return join(dir, 'bench', 'results.json');
};

export type Figures = Record<string, number | string | boolean | null>;

/** Merge one suite's figures into bench/results.json (written atomically). */
export const recordResults = (suite: string, figures: Figures): void => {
  const path = resultsPath();
  const all: Record<string, unknown> = existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>)
    : {};
  all[suite] = { ...figures, measuredAt: new Date().toISOString() };
  writeFileSync(`${path}.tmp`, `${JSON.stringify(all, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
  console.table(figures);
};

/** Percentile of a sample (nearest-rank). */
export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
};

import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { databasePath } from '../core/store/paths.js';

/** Flags parsed strictly: an unknown flag is an error, not silently ignored. */
export const parseFlags = <
  const O extends Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>,
>(
  argv: string[],
  options: O,
) => parseArgs({ args: argv, options, strict: true, allowPositionals: true });

export class UsageError extends Error {
  override name = 'UsageError';
}

export const required = (value: string | undefined, flag: string): string => {
  if (value === undefined || value === '') throw new UsageError(`option --${flag} obligatoire`);
  return value;
};

/**
 * The data directory of a command that works on a position's log (append, backup, rebuild, status, export,
 * keys): a mistyped --data must not quietly make a new, empty log and write or report there. A new position
 * is made by the console (vigie serve) or at provisioning (vigie users add).
 */
export const existingDataDir = (value: string | undefined): string => {
  const dataDir = required(value, 'data');
  if (!existsSync(databasePath(dataDir)))
    throw new UsageError(
      `aucune base Vigie dans ${dataDir} : vérifiez --data (un nouveau poste se crée avec vigie serve ou vigie users add)`,
    );
  return dataDir;
};

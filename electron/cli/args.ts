import { parseArgs } from 'node:util';

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

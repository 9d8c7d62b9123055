#!/usr/bin/env node
import { commands } from './commands.js';
import { UsageError } from './args.js';

const help = (): string =>
  [
    'vigie — console du standard opérationnel',
    '',
    'Usage : vigie <commande> [options]',
    '',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}\n  ${' '.repeat(10)} ${c.usage}`),
    '',
    'vigie <commande> --help pour le détail.',
  ].join('\n');

const main = async (argv: string[]): Promise<number> => {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return 0;
  }
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`vigie : commande inconnue « ${name} »\n\n${help()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.summary}\nUsage : ${command.usage}\n`);
    return 0;
  }
  try {
    const module = await command.load();
    return await module.run(rest);
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      process.stderr.write(`vigie ${name} : ${error.message}\nUsage : ${command.usage}\n`);
      return 2;
    }
    process.stderr.write(`vigie ${name} : ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
};

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`vigie : ${String(error)}\n`);
    process.exitCode = 1;
  },
);

import { userInfo } from 'node:os';
import { ROLE_LABELS, ROLES, pinSchema, userNameSchema, type Role } from '../../contract/session.js';
import type { RosterUser } from '../../contract/users.js';
import { withRoster } from '../../core/logbook/provision.js';
import { parseFlags, required, UsageError } from '../args.js';

const USAGE =
  'vigie users list --data DIR [--json] | add --data DIR --name NOM --role operateur|chef_de_salle|technicien [--pin-stdin] | ' +
  'reset-pin --data DIR --name NOM --pin-stdin | unlock --data DIR --name NOM | set-role --data DIR --name NOM --role ROLE';

/** Who provisions: the account running the command, named in every roster event it writes. */
const author = (): string => {
  let account = 'inconnu';
  try {
    account = userInfo().username || account;
  } catch {
    // no account name (container): keep "inconnu"
  }
  return `Provisionnement (${account})`.slice(0, 60);
};

const parseRole = (value: string | undefined): Role => {
  const role = ROLES.find((r) => r === value);
  if (role === undefined) throw new UsageError(`--role : ${ROLES.join(', ')} attendu`);
  return role;
};

/** The PIN from the first line of stdin: never a command-line argument (visible in `ps` and the shell history). */
const readPin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const pin = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0]?.trim() ?? '';
  const parsed = pinSchema.safeParse(pin);
  if (!parsed.success) throw new UsageError('code PIN lu sur l’entrée standard : de 4 à 8 chiffres attendus');
  return parsed.data;
};

const byName = (users: RosterUser[], name: string): RosterUser => {
  const user = users.find((u) => u.name.toLocaleLowerCase('fr') === name.trim().toLocaleLowerCase('fr'));
  if (user === undefined) throw new UsageError(`« ${name} » n'est pas au tableau de service (vigie users list)`);
  return user;
};

const line = (u: RosterUser): string =>
  `${u.name} — ${ROLE_LABELS[u.role]}${u.hasPin ? '' : u.pinRequired ? ' — CODE PIN À DÉFINIR' : ' — sans code PIN'}${u.locked ? ' — VERROUILLÉ' : ''}  (${u.userId})`;

/** `vigie users`: the roster at provisioning (the console must be stopped: it takes the directory's lock). */
export const run = async (argv: string[]): Promise<number> => {
  const [action, ...rest] = argv;
  const { values } = parseFlags(rest, {
    data: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    'pin-stdin': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const dataDir = required(values.data, 'data');
  const out = (u: RosterUser): void => {
    process.stdout.write(values.json === true ? `${JSON.stringify(u)}\n` : `${line(u)}\n`);
  };
  switch (action) {
    case 'list':
      await withRoster(dataDir, 'vigie users', (roster) => roster.list().forEach(out));
      return 0;
    case 'add': {
      const name = userNameSchema.safeParse(required(values.name, 'name'));
      if (!name.success) throw new UsageError(`--name : ${name.error.issues[0]?.message ?? 'nom invalide'}`);
      const role = parseRole(values.role);
      const pin = values['pin-stdin'] === true ? await readPin() : undefined;
      out(await withRoster(dataDir, 'vigie users', (roster) => roster.add({ name: name.data, role, pin }, author())));
      return 0;
    }
    case 'reset-pin': {
      if (values['pin-stdin'] !== true) throw new UsageError('reset-pin : --pin-stdin obligatoire');
      const name = required(values.name, 'name');
      const pin = await readPin();
      out(
        await withRoster(dataDir, 'vigie users', (roster) =>
          roster.resetPin({ userId: byName(roster.list(), name).userId, pin }, author()),
        ),
      );
      return 0;
    }
    case 'unlock': {
      const name = required(values.name, 'name');
      out(
        await withRoster(dataDir, 'vigie users', (roster) =>
          roster.unlock({ userId: byName(roster.list(), name).userId }, author()),
        ),
      );
      return 0;
    }
    case 'set-role': {
      const name = required(values.name, 'name');
      const role = parseRole(values.role);
      out(
        await withRoster(dataDir, 'vigie users', (roster) =>
          roster.setRole({ userId: byName(roster.list(), name).userId, role }, author()),
        ),
      );
      return 0;
    }
    default:
      throw new UsageError(`action attendue : ${USAGE}`);
  }
};

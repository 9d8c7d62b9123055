import { readFileSync } from 'node:fs';
import pg from 'pg';
import { addPosition, migrateCentral } from '../../core/replication/central/schema.js';
import { databasePath, openDatabase } from '../../core/store/index.js';
import { parseFlags, required, UsageError } from '../args.js';

/**
 * `vigie central migrate --url URL`: creates or upgrades the central PostgreSQL schema (run by the
 * technician with an owner role). `vigie central add-position --url URL (--origin UUID | --data DIR)
 * --role NAME --password-file FILE [--name POSTE-1]`: a position's login role, allowed to insert its own
 * origin only. TLS: put it in the URL (`?sslmode=verify-full&sslrootcert=/chemin/ca.pem`), see the README.
 */
export const run = async (argv: string[]): Promise<number> => {
  const [sub, ...rest] = argv;
  const { values } = parseFlags(rest, {
    url: { type: 'string' },
    origin: { type: 'string' },
    data: { type: 'string' },
    role: { type: 'string' },
    'password-file': { type: 'string' },
    name: { type: 'string' },
  });
  const client = new pg.Client({ connectionString: required(values.url, 'url'), connectionTimeoutMillis: 10_000 });
  if (sub !== 'migrate' && sub !== 'add-position')
    throw new UsageError('sous-commande migrate ou add-position attendue');
  await client.connect();
  try {
    if (sub === 'migrate') {
      const applied = await migrateCentral(client);
      process.stdout.write(
        applied.length === 0
          ? 'Schéma central déjà à jour\n'
          : `Schéma central migré : ${applied.map((m) => `${m.version} ${m.name}`).join(', ')}\n`,
      );
      return 0;
    }
    const origin = values.origin ?? originOf(values.data);
    const password = readFileSync(required(values['password-file'], 'password-file'), 'utf8').trim();
    await addPosition(client, { origin, role: required(values.role, 'role'), password, name: values.name ?? '' });
    process.stdout.write(`Poste ${origin} : rôle ${values.role ?? ''} autorisé à écrire sa seule origine\n`);
    return 0;
  } finally {
    await client.end();
  }
};

/** The nodeId a data directory's database holds (meta.origin), read-only. */
const originOf = (dataDir: string | undefined): string => {
  const db = openDatabase(databasePath(required(dataDir, 'data ou --origin')), { readonly: true });
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'origin'").get() as { value: string } | undefined;
    if (row === undefined) throw new UsageError('cette base n’a pas encore d’origine : démarrer le poste une fois');
    return row.value;
  } finally {
    db.close();
  }
};

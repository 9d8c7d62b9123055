/** Test scaffolding: users put on the roster the way provisioning does, then signed in with their PIN. */
import type { Role, Session } from '../contract/session.js';
import type { RosterUser } from '../contract/users.js';
import type { LogbookService } from '../core/logbook/index.js';
import { withRoster } from '../core/logbook/provision.js';

export const TEST_PIN = '2468';
export const PROVISIONING = 'Provisionnement (test)';

/** Adds `name` to the roster if absent (with TEST_PIN), then signs them in. */
export const signInAs = async (
  service: LogbookService,
  name: string,
  role: Role,
  pin: string = TEST_PIN,
): Promise<Session> => {
  const existing = service.provisioning.list().find((u) => u.name === name);
  const user = existing ?? (await service.provisioning.add({ name, role, pin }, PROVISIONING));
  return service.handlers['session.signIn']({ userId: user.userId, pin });
};

/** Puts users on the roster of a data directory the way `vigie users add` does (console stopped). */
export const provision = async (
  dataDir: string,
  users: readonly { name: string; role: Role; pin?: string }[],
): Promise<RosterUser[]> =>
  withRoster(dataDir, 'test', async (roster) => {
    const added: RosterUser[] = [];
    for (const u of users) added.push(await roster.add(u, PROVISIONING));
    return added;
  });

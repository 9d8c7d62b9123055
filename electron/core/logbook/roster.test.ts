import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requestSchemas } from '../../contract/index.js';
import { VigieError } from '../../contract/result.js';
import { removeDataDir } from '../../testing/data-dir.js';
import { DEFAULT_DIRECTORATE } from '../config.js';
import { moduleSchemas } from '../modules.js';
import { openStore } from '../store/index.js';
import { PROVISIONING, signInAs, TEST_PIN } from '../../testing/roster.js';
import { createLogbookService } from './service.js';

const dirs: string[] = [];
const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0).reverse()) c();
  for (const d of dirs.splice(0)) removeDataDir(d);
});

const setup = (options: { operatorPinRequired?: boolean } = {}) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-roster-'));
  dirs.push(dir);
  let t = Date.parse('2026-11-29T01:00:00Z');
  const now = (): number => t;
  const store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false, now });
  closers.push(() => store.close());
  const service = createLogbookService(store, {
    positionName: 'POSTE-1',
    directorate: DEFAULT_DIRECTORATE,
    now,
    exportDir: join(dir, 'exports'),
    pinKeyFile: join(dir, 'pin.key'),
    ...options,
  });
  const types = (): string[] =>
    (store.db.prepare('SELECT type FROM events ORDER BY rowid').all() as { type: string }[]).map((r) => r.type);
  return { dir, store, service, h: service.handlers, types, advance: (ms: number) => (t += ms) };
};

const refusal = async (p: Promise<unknown> | unknown, code: string, message: RegExp): Promise<void> => {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(VigieError);
    expect((error as VigieError).code).toBe(code);
    expect((error as VigieError).message).toMatch(message);
    return;
  }
  throw new Error('aucune erreur levée');
};
const syncRefusal = (fn: () => unknown, code: string, message: RegExp): Promise<void> => {
  try {
    return refusal(fn(), code, message);
  } catch (error) {
    return refusal(Promise.reject(error), code, message);
  }
};

describe('roster: nobody enrols themselves', () => {
  it('signs in only a user of the roster, by id: a name and a role are not accepted any more', async () => {
    const { h } = setup();
    const schema = requestSchemas['session.signIn'];
    expect(schema.safeParse({ name: 'Marie Chef', role: 'chef_de_salle' }).success).toBe(false);
    await syncRefusal(() => h['session.signIn']({ userId: 'inconnu' }), 'not_found', /tableau de service/);
    expect(await h['users.list']({})).toEqual([]);
  });

  it('lets only a chef de salle or a technicien add users, with the first PIN set by them', async () => {
    const { service, h, store, types } = setup();
    await syncRefusal(() => h['users.add']({ name: 'Paul', role: 'operateur' }), 'forbidden', /Identifiez-vous/);
    const chef = await service.provisioning.add(
      { name: 'Marie Chef', role: 'chef_de_salle', pin: '4821' },
      PROVISIONING,
    );
    expect(chef).toMatchObject({
      name: 'Marie Chef',
      role: 'chef_de_salle',
      hasPin: true,
      pinRequired: true,
      locked: false,
    });
    // The PIN is set by whoever creates the user: not stored in clear anywhere.
    expect(JSON.stringify(store.db.prepare('SELECT payload FROM events').all())).not.toContain('4821');
    await signInAs(service, 'Paul', 'operateur');
    await syncRefusal(
      () => h['users.add']({ name: 'Jean', role: 'chef_de_salle', pin: '1234' }),
      'forbidden',
      /opérateur ne permet pas de gérer le tableau de service/,
    );
    const s = await h['session.signIn']({ userId: chef.userId, pin: '4821' });
    expect(s).toMatchObject({ userName: 'Marie Chef', role: 'chef_de_salle', permissions: { manageUsers: true } });
    // PIN mandatory for chef de salle and technicien.
    await syncRefusal(() => h['users.add']({ name: 'Tech', role: 'technicien' }), 'invalid_argument', /obligatoire/);
    const tech = await h['users.add']({ name: 'Tech', role: 'technicien', pin: '5555' });
    const added = store.db.prepare("SELECT author FROM events WHERE type = 'user.added' ORDER BY rowid DESC").get();
    expect(added).toEqual({ author: 'Marie Chef' });
    expect(tech.pinRequired).toBe(true);
    // An opérateur may have no PIN (configurable); a PIN given later cannot be set by whoever signs in.
    const op = await h['users.add']({ name: 'Opé Sans Code', role: 'operateur' });
    expect(op).toMatchObject({ hasPin: false, pinRequired: false });
    await h['session.signIn']({ userId: op.userId, pin: '0000' });
    expect((await h['users.list']({})).find((u) => u.userId === op.userId)?.hasPin).toBe(false);
    expect(types()).not.toContain('user.enrolled');
  });

  it('refuses a name a reader could take for one already on the roster (UTS #39 skeleton)', async () => {
    const { service } = setup();
    await service.provisioning.add({ name: 'Marie Chef', role: 'chef_de_salle', pin: '4821' }, PROVISIONING);
    for (const alike of ['Marie \u0421hef', 'Marie Chef.', 'marie  chef', 'MARIE CHEF'])
      await refusal(
        service.provisioning.add({ name: alike, role: 'chef_de_salle', pin: '1111' }, PROVISIONING),
        'conflict',
        /se lit comme « Marie Chef »/,
      );
    expect((await service.provisioning.add({ name: 'Marie Chen', role: 'operateur' }, PROVISIONING)).name).toBe(
      'Marie Chen',
    );
  });

  it('changes a role by a chef de salle only when the new role has its PIN, as an event naming them', async () => {
    const { service, h, store } = setup();
    const op = await service.provisioning.add({ name: 'Opé', role: 'operateur' }, PROVISIONING);
    await signInAs(service, 'Marie Chef', 'chef_de_salle');
    await syncRefusal(
      () => h['users.setRole']({ userId: op.userId, role: 'technicien' }),
      'invalid_argument',
      /obligatoire/,
    );
    await h['users.resetPin']({ userId: op.userId, pin: '9753' });
    expect(await h['users.setRole']({ userId: op.userId, role: 'technicien' })).toMatchObject({ role: 'technicien' });
    expect(store.db.prepare("SELECT author FROM events WHERE type = 'user.roleSet'").get()).toEqual({
      author: 'Marie Chef',
    });
    expect(await h['session.signIn']({ userId: op.userId, pin: '9753' })).toMatchObject({ role: 'technicien' });
  });

  it('requires a PIN of an opérateur when vigie.json says so', async () => {
    const { service } = setup({ operatorPinRequired: true });
    await refusal(
      service.provisioning.add({ name: 'Paul', role: 'operateur' }, PROVISIONING),
      'invalid_argument',
      /obligatoire/,
    );
  });
});

describe('guessing defeated', () => {
  it('records every failed sign-in, makes the next one wait longer, locks after 5 until a chef unlocks', async () => {
    const { service, h, store, advance } = setup();
    const victim = await service.provisioning.add(
      { name: 'Marie Chef', role: 'chef_de_salle', pin: '4821' },
      PROVISIONING,
    );
    const failures = (): { reason: string; position: string; userId: string }[] =>
      (
        store.db.prepare("SELECT payload FROM events WHERE type = 'user.signInFailed' ORDER BY rowid").all() as {
          payload: string;
        }[]
      ).map((r) => JSON.parse(r.payload) as { reason: string; position: string; userId: string });
    await refusal(h['session.signIn']({ userId: victim.userId, pin: '0000' }), 'forbidden', /encore 4 essais.*1 s/);
    // Too soon: refused without checking, and recorded.
    await refusal(
      h['session.signIn']({ userId: victim.userId, pin: '4821' }),
      'forbidden',
      /nouvel essai possible dans 1 s/,
    );
    expect(failures().map((f) => f.reason)).toEqual(['pin', 'delay']);
    expect(failures()[0]).toMatchObject({ userId: victim.userId, position: 'POSTE-1' });
    const waits = [1, 2, 4, 8];
    for (let i = 1; i < 5; i += 1) {
      advance((waits[i - 1] ?? 0) * 1000);
      await refusal(h['session.signIn']({ userId: victim.userId, pin: `000${i}` }), 'forbidden', /Code PIN incorrect/);
    }
    expect((await h['users.list']({}))[0]).toMatchObject({ locked: true, failures: 5 });
    // Locked: even the right PIN is refused, and the attempt recorded.
    advance(3_600_000);
    await refusal(h['session.signIn']({ userId: victim.userId, pin: '4821' }), 'forbidden', /verrouillé/);
    expect(failures().filter((f) => f.reason === 'pin')).toHaveLength(5);
    expect(failures().at(-1)?.reason).toBe('locked');
    // An opérateur cannot unlock; a technicien can, and it is an event naming them.
    await signInAs(service, 'Paul', 'operateur');
    await syncRefusal(() => h['users.unlock']({ userId: victim.userId }), 'forbidden', /réservé/);
    await signInAs(service, 'Tech', 'technicien');
    expect(h['users.unlock']({ userId: victim.userId })).toMatchObject({ locked: false, failures: 0 });
    expect(store.db.prepare("SELECT author FROM events WHERE type = 'user.unlocked'").get()).toEqual({
      author: 'Tech',
    });
    expect(await h['session.signIn']({ userId: victim.userId, pin: '4821' })).toMatchObject({ userName: 'Marie Chef' });
    // The lock state is a projection of the events: a rebuild gives it back.
    store.rebuild();
    expect((await h['users.list']({})).find((u) => u.userId === victim.userId)).toMatchObject({
      locked: false,
      failures: 0,
    });
  });

  it('resets a PIN only by a chef de salle or technicien, as an audited event', async () => {
    const { service, h, store, advance } = setup();
    const paul = await service.provisioning.add({ name: 'Paul', role: 'operateur', pin: '1357' }, PROVISIONING);
    await signInAs(service, 'Marie Chef', 'chef_de_salle');
    await h['users.resetPin']({ userId: paul.userId, pin: '2468' });
    expect(store.db.prepare("SELECT author FROM events WHERE type = 'user.pinReset'").get()).toEqual({
      author: 'Marie Chef',
    });
    await refusal(h['session.signIn']({ userId: paul.userId, pin: '1357' }), 'forbidden', /incorrect/);
    advance(1000);
    expect(await signInAs(service, 'Paul', 'operateur', TEST_PIN)).toMatchObject({ userName: 'Paul' });
  });

  it('cannot check a PIN against the database alone: another PIN key is told apart, not counted as a guess', async () => {
    const { service, store, dir } = setup();
    const paul = await service.provisioning.add({ name: 'Paul', role: 'operateur', pin: '1357' }, PROVISIONING);
    rmSync(join(dir, 'pin.key'));
    // The same database with another key file (what a thief without the key file has).
    const other = createLogbookService(store, {
      positionName: 'POSTE-1',
      directorate: DEFAULT_DIRECTORATE,
      exportDir: join(dir, 'exports'),
      pinKeyFile: join(dir, 'other.key'),
    });
    await refusal(
      other.handlers['session.signIn']({ userId: paul.userId, pin: '1357' }),
      'forbidden',
      /clé des codes PIN/,
    );
  });
});

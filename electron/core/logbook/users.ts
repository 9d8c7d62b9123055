/**
 * The roster: users are created, given a role, a PIN or unlocked by a chef de salle or a technicien at
 * a position, or by `vigie users` at provisioning — each an event naming who did it. A name that a
 * reader could take for an existing one (names.ts, UTS #39 §4) is refused.
 */
import { randomUUID } from 'node:crypto';
import { VigieError } from '../../contract/result.js';
import { ROLE_LABELS, type Role } from '../../contract/session.js';
import type { RosterUser } from '../../contract/users.js';
import type { Context } from './context.js';
import { cleanName } from './names.js';
import { hashPin } from './pin.js';
import { lookAlikes, pinRequired, rosterRow, rosterRows, toRosterUser, type RosterRow } from './roster.js';
import { requirePermission } from './sessions.js';

/** Who signs a roster change: the signed-in chef de salle or technicien, or the provisioning command's author. */
export type Actor = { kind: 'session' } | { kind: 'provisioning'; author: string };

const actorName = (ctx: Context, actor: Actor): string =>
  actor.kind === 'session' ? requirePermission(ctx, 'manageUsers').userName : actor.author;

const toUser = (ctx: Context, row: RosterRow): RosterUser => toRosterUser(row, ctx.operatorPinRequired);

export const listUsers = (ctx: Context): RosterUser[] => rosterRows(ctx.store.db).map((row) => toUser(ctx, row));

const getUser = (ctx: Context, userId: string): RosterRow => {
  const row = rosterRow(ctx.store.db, userId);
  if (row === undefined) throw new VigieError('not_found', 'Utilisateur absent du tableau de service.');
  return row;
};

const needsPin = (ctx: Context, role: Role, name: string): VigieError =>
  new VigieError(
    'invalid_argument',
    `Un code PIN est obligatoire pour ${name} (rôle ${ROLE_LABELS[role].toLowerCase()}${role === 'operateur' ? ', exigé par la configuration du poste' : ''}).`,
  );

export const addUser = async (
  ctx: Context,
  args: { name: string; role: Role; pin?: string | undefined },
  actor: Actor,
): Promise<RosterUser> => {
  actorName(ctx, actor); // refuses early, before the slow hash
  const name = cleanName(args.name);
  const alike = lookAlikes(ctx.store.db, name)[0];
  if (alike !== undefined)
    throw new VigieError(
      'conflict',
      `« ${name} » se lit comme « ${alike.name} », déjà au tableau de service : distinguez les deux noms (initiale, second prénom).`,
    );
  if (args.pin === undefined && pinRequired(args.role, ctx.operatorPinRequired)) throw needsPin(ctx, args.role, name);
  const pinVerifier = args.pin === undefined ? null : await hashPin(args.pin, ctx.pinKey());
  // Read again after the await: another position or request may have added the same name meanwhile.
  const raced = lookAlikes(ctx.store.db, name)[0];
  if (raced !== undefined)
    throw new VigieError('conflict', `« ${name} » se lit comme « ${raced.name} », ajouté(e) à l'instant.`);
  const userId = randomUUID();
  ctx.store.append(
    'user.added',
    { userId, name, role: args.role, pinVerifier, position: ctx.positionName },
    actorName(ctx, actor),
  );
  return toUser(ctx, getUser(ctx, userId));
};

export const resetPin = async (
  ctx: Context,
  args: { userId: string; pin: string },
  actor: Actor,
): Promise<RosterUser> => {
  actorName(ctx, actor);
  getUser(ctx, args.userId);
  const pinVerifier = await hashPin(args.pin, ctx.pinKey());
  ctx.store.append(
    'user.pinReset',
    { userId: args.userId, pinVerifier, position: ctx.positionName },
    actorName(ctx, actor),
  );
  return toUser(ctx, getUser(ctx, args.userId));
};

export const unlockUser = (ctx: Context, args: { userId: string }, actor: Actor): RosterUser => {
  const by = actorName(ctx, actor);
  getUser(ctx, args.userId);
  ctx.store.append('user.unlocked', { userId: args.userId, position: ctx.positionName }, by);
  return toUser(ctx, getUser(ctx, args.userId));
};

export const setRole = (ctx: Context, args: { userId: string; role: Role }, actor: Actor): RosterUser => {
  const by = actorName(ctx, actor);
  const user = getUser(ctx, args.userId);
  if (user.pin_verifier === null && pinRequired(args.role, ctx.operatorPinRequired))
    throw needsPin(ctx, args.role, user.name);
  ctx.store.append('user.roleSet', { userId: args.userId, role: args.role, position: ctx.positionName }, by);
  return toUser(ctx, getUser(ctx, args.userId));
};

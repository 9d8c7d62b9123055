/** Sign-in at the position: who writes (every entry has an author) and with which role. */
import { randomUUID } from 'node:crypto';
import { VigieError } from '../../contract/result.js';
import { ROLE_LABELS, type Role, type Session } from '../../contract/session.js';
import type { AppendItem } from '../store/types.js';
import type { Context } from './context.js';
import { cleanName, nameKey } from './names.js';
import { hashPin, verifyPin } from './pin.js';
import { may, permissionsOf, type Action } from './roles.js';

interface SessionRow {
  session_id: string;
  name: string;
  role: Role;
  position: string;
  signed_in_ms: number;
}

interface UserRow {
  name: string;
  role: Role;
  pin_hash: string | null;
}

const toSession = (row: SessionRow): Session => ({
  sessionId: row.session_id,
  userName: row.name,
  role: row.role,
  position: row.position,
  signedInAt: new Date(row.signed_in_ms).toISOString(),
  permissions: permissionsOf(row.role),
});

/** The user signed in at this position (this database's origin), or null. */
export const currentSession = (ctx: Context): Session | null => {
  const row = ctx.store.db
    .prepare(
      `SELECT session_id, name, role, position, signed_in_ms FROM sessions
       WHERE origin = ? AND signed_out_ms IS NULL ORDER BY signed_in_ms DESC, rowid DESC LIMIT 1`,
    )
    .get(ctx.store.origin) as SessionRow | undefined;
  return row === undefined ? null : toSession(row);
};

/** The signed-in session, or a French refusal. */
export const requireSession = (ctx: Context): Session => {
  const session = currentSession(ctx);
  if (session === null)
    throw new VigieError('forbidden', 'Identifiez-vous (nom et rôle) avant toute inscription ou action.');
  return session;
};

const ACTION_LABELS: Record<Action, string> = {
  writeLogbook: 'écrire dans la main courante',
  openCloseShift: 'ouvrir ou clôturer une vacation',
  startDrill: 'lancer un exercice',
};

/** The signed-in session if its role allows `action`; otherwise `forbidden`, naming who may. */
export const requirePermission = (ctx: Context, action: Action): Session => {
  const session = requireSession(ctx);
  if (!may(session.role, action)) {
    const allowed = (Object.keys(ROLE_LABELS) as Role[])
      .filter((r) => may(r, action))
      .map((r) => ROLE_LABELS[r].toLowerCase());
    throw new VigieError(
      'forbidden',
      `Le rôle ${ROLE_LABELS[session.role].toLowerCase()} ne permet pas de ${ACTION_LABELS[action]} (réservé : ${allowed.join(', ')}).`,
    );
  }
  return session;
};

/**
 * First sign-in of a name enrols it (role, optional PIN hashed with scrypt); later sign-ins must give
 * the same role and, if the user has one, the PIN. A user without a PIN who gives one sets it.
 * Whoever was signed in at this position is signed out in the same transaction.
 */
export const signIn = (ctx: Context, args: { name: string; role: Role; pin?: string | undefined }): Session => {
  const name = cleanName(args.name);
  const user = ctx.store.db.prepare('SELECT name, role, pin_hash FROM users WHERE name_key = ?').get(nameKey(name)) as
    UserRow | undefined;
  const items: AppendItem[] = [];
  if (user === undefined) {
    items.push({
      type: 'user.enrolled',
      payload: { name, role: args.role, pinHash: args.pin === undefined ? null : hashPin(args.pin) },
      author: name,
    });
  } else {
    if (user.role !== args.role) {
      throw new VigieError(
        'forbidden',
        `${user.name} est enregistré(e) avec le rôle ${ROLE_LABELS[user.role].toLowerCase()}, pas ${ROLE_LABELS[args.role].toLowerCase()}.`,
      );
    }
    if (user.pin_hash !== null) {
      if (args.pin === undefined) throw new VigieError('forbidden', `Code PIN requis pour ${user.name}.`);
      if (!verifyPin(args.pin, user.pin_hash)) throw new VigieError('forbidden', 'Code PIN incorrect.');
    } else if (args.pin !== undefined) {
      items.push({ type: 'user.pinSet', payload: { name: user.name, pinHash: hashPin(args.pin) }, author: user.name });
    }
  }
  const userName = user?.name ?? name;
  const previous = currentSession(ctx);
  if (previous !== null)
    items.push({
      type: 'session.signedOut',
      payload: { sessionId: previous.sessionId, reason: 'replaced' },
      author: userName,
    });
  const sessionId = randomUUID();
  items.push({
    type: 'session.signedIn',
    payload: { sessionId, name: userName, role: args.role, position: ctx.positionName },
    author: userName,
  });
  ctx.store.appendAll(items);
  const session = currentSession(ctx);
  if (session?.sessionId !== sessionId) throw new Error('session absente après son inscription');
  return session;
};

export const signOut = (ctx: Context): { signedOut: boolean } => {
  const session = currentSession(ctx);
  if (session === null) return { signedOut: false };
  ctx.store.append('session.signedOut', { sessionId: session.sessionId, reason: 'signOut' }, session.userName);
  return { signedOut: true };
};

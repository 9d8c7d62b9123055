/**
 * Sign-in at the position: who writes (every entry has an author) and with which role. A user is chosen
 * from the roster (roster.ts, users.ts); signing in never creates one. Guessing is defeated by the lock
 * after MAX_FAILURES wrong PINs, growing delays between attempts, one check at a time per user, and a
 * keyed verifier that a stolen database cannot be guessed against (pin.ts). Every refused attempt is a
 * `user.signInFailed` event: position, time (its HLC) and user.
 */
import { randomUUID } from 'node:crypto';
import { VigieError } from '../../contract/result.js';
import { ROLE_LABELS, type Role, type Session } from '../../contract/session.js';
import type { AppendItem } from '../store/types.js';
import type { Context } from './context.js';
import type { SIGN_IN_FAILURES } from './event-types.js';
import { checkPin } from './pin.js';
import { may, permissionsOf, type Action } from './roles.js';
import { MAX_FAILURES, pinRequired, rosterRow, type RosterRow } from './roster.js';

interface SessionRow {
  session_id: string;
  user_id: string;
  name: string;
  role: Role;
  position: string;
  signed_in_ms: number;
}

const toSession = (row: SessionRow): Session => ({
  sessionId: row.session_id,
  userId: row.user_id,
  userName: row.name,
  role: row.role,
  position: row.position,
  signedInAt: new Date(row.signed_in_ms).toISOString(),
  permissions: permissionsOf(row.role),
});

/** The user signed in at this position (this database's origin), or null. Sessions from before the roster do not count. */
export const currentSession = (ctx: Context): Session | null => {
  const row = ctx.store.db
    .prepare(
      `SELECT session_id, user_id, name, role, position, signed_in_ms FROM sessions
       WHERE origin = ? AND signed_out_ms IS NULL AND user_id IS NOT NULL
       ORDER BY signed_in_ms DESC, rowid DESC LIMIT 1`,
    )
    .get(ctx.store.origin) as SessionRow | undefined;
  return row === undefined ? null : toSession(row);
};

/** The signed-in session, or a French refusal. */
export const requireSession = (ctx: Context): Session => {
  const session = currentSession(ctx);
  if (session === null)
    throw new VigieError('forbidden', 'Identifiez-vous (nom et code PIN) avant toute inscription ou action.');
  return session;
};

const ACTION_LABELS: Record<Action, string> = {
  writeLogbook: 'écrire dans la main courante',
  openCloseShift: 'ouvrir ou clôturer une vacation',
  startDrill: 'lancer un exercice',
  manageUsers: 'gérer le tableau de service (utilisateurs, rôles, codes PIN)',
  closeOperation: 'clore une opération',
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

/** Seconds to wait after the n-th wrong PIN in a row before the next attempt: 1, 2, 4, 8 (then the lock). */
export const retryDelayMs = (failures: number): number =>
  failures <= 0 ? 0 : Math.min(2 ** (failures - 1), 60) * 1000;

const lockedMessage = (name: string): string =>
  `${name} est verrouillé(e) après ${MAX_FAILURES} codes PIN erronés : un chef de salle ou un technicien doit déverrouiller (tableau de service).`;

/** Users whose PIN is being checked right now: one check at a time per user. */
const checking = new WeakMap<Context, Set<string>>();

type FailureReason = (typeof SIGN_IN_FAILURES)[number];

const refuse = (ctx: Context, user: RosterRow, reason: FailureReason, message: string): never => {
  ctx.store.append(
    'user.signInFailed',
    { userId: user.user_id, position: ctx.positionName, reason },
    `${ctx.positionName} (tentative de connexion)`,
  );
  throw new VigieError('forbidden', message);
};

const findUser = (ctx: Context, userId: string): RosterRow => {
  const user = rosterRow(ctx.store.db, userId);
  if (user === undefined)
    throw new VigieError('not_found', 'Utilisateur absent du tableau de service : choisissez un nom dans la liste.');
  return user;
};

/** Refuses before any PIN is checked: locked, no PIN where one is needed, too soon after a wrong PIN. */
const precheck = (ctx: Context, user: RosterRow, pin: string | undefined): void => {
  if (user.locked !== 0) refuse(ctx, user, 'locked', lockedMessage(user.name));
  if (user.pin_verifier === null) {
    if (pinRequired(user.role, ctx.operatorPinRequired))
      refuse(
        ctx,
        user,
        'no_pin',
        `Aucun code PIN n'est défini pour ${user.name} : un chef de salle ou un technicien doit en définir un (tableau de service).`,
      );
    return;
  }
  if (pin === undefined) throw new VigieError('invalid_argument', `Code PIN requis pour ${user.name}.`);
  const wait = (user.last_failure_ms ?? 0) + retryDelayMs(user.failures) - ctx.now();
  if (wait > 0)
    refuse(
      ctx,
      user,
      'delay',
      `Trop tôt après un code erroné : nouvel essai possible dans ${Math.ceil(wait / 1000)} s.`,
    );
};

/**
 * Signs in a roster user. Whoever was signed in at this position is signed out in the same transaction.
 * The PIN is checked off the event loop (pin.ts); the user's row is read again afterwards, since an
 * unlock, a reset or a lock may have committed meanwhile.
 */
export const signIn = async (ctx: Context, args: { userId: string; pin?: string | undefined }): Promise<Session> => {
  const before = findUser(ctx, args.userId);
  precheck(ctx, before, args.pin);
  if (before.pin_verifier !== null && args.pin !== undefined) {
    const busy = checking.get(ctx) ?? new Set<string>();
    checking.set(ctx, busy);
    if (busy.has(before.user_id))
      refuse(ctx, before, 'delay', `Un code PIN de ${before.name} est déjà en cours de vérification : patientez.`);
    busy.add(before.user_id);
    let result: Awaited<ReturnType<typeof checkPin>>;
    try {
      result = await checkPin(args.pin, before.pin_verifier, ctx.pinKey());
    } finally {
      busy.delete(before.user_id);
    }
    const now = findUser(ctx, args.userId);
    if (now.locked !== 0) refuse(ctx, now, 'locked', lockedMessage(now.name));
    if (now.pin_verifier !== before.pin_verifier)
      throw new VigieError('conflict', `Le code PIN de ${now.name} vient d'être redéfini : recommencez.`);
    if (result === 'other_key' || result === 'unusable')
      refuse(
        ctx,
        now,
        'other_key',
        `Le code PIN de ${now.name} ne peut pas être vérifié sur ce poste (clé des codes PIN différente) : un chef de salle ou un technicien doit le redéfinir.`,
      );
    if (result === 'wrong') {
      const left = MAX_FAILURES - now.failures - 1;
      refuse(
        ctx,
        now,
        'pin',
        left <= 0
          ? `Code PIN incorrect. ${lockedMessage(now.name)}`
          : `Code PIN incorrect : encore ${left} essai${left > 1 ? 's' : ''} avant verrouillage, nouvel essai possible dans ${retryDelayMs(now.failures + 1) / 1000} s.`,
      );
    }
  }
  const user = findUser(ctx, args.userId);
  const items: AppendItem[] = [];
  const previous = currentSession(ctx);
  if (previous !== null)
    items.push({
      type: 'session.signedOut',
      payload: { sessionId: previous.sessionId, reason: 'replaced' },
      author: user.name,
    });
  const sessionId = randomUUID();
  items.push({
    type: 'session.signedIn',
    payload: { sessionId, userId: user.user_id, name: user.name, role: user.role, position: ctx.positionName },
    author: user.name,
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

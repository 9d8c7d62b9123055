import { useEffect, useState, type FormEvent } from 'react';
import type { RosterUser, Session, VigieClient } from '../../../electron/contract/index.js';
import { logbookStrings as t } from './strings.js';

/** What the list says of a user beside the name and role. */
export const userState = (u: RosterUser): string =>
  u.locked ? t.signIn.locked : !u.hasPin ? (u.pinRequired ? t.signIn.pinToSet : t.signIn.noPin) : '';

/** The roster, kept current by the core's `users` events; null until the first answer. */
export const useRosterState = (client: VigieClient): RosterUser[] | null => {
  const [users, setUsers] = useState<RosterUser[] | null>(null);
  useEffect(() => {
    void client.call('users.list', {}).then((r) => {
      if (r.ok) setUsers(r.value);
    });
    return client.onEvent((e) => {
      if (e.type === 'users') setUsers(e.users);
    });
  }, [client]);
  return users;
};

export const useRoster = (client: VigieClient): RosterUser[] => useRosterState(client) ?? [];

/**
 * Sign-in: a name picked from the roster (a list box: arrows, first letters, Entrée), then the PIN.
 * No free typing of a name: users are created by a chef de salle or technicien (Roster.tsx).
 */
export const SignIn = ({ client, onSignedIn }: { client: VigieClient; onSignedIn: (s: Session) => void }) => {
  const loaded = useRosterState(client);
  const users = loaded ?? [];
  const [userId, setUserId] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const user = users.find((u) => u.userId === userId) ?? users[0];
  const asksPin = user !== undefined && (user.hasPin || user.pinRequired);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (user === undefined) return;
    void client.call('session.signIn', { userId: user.userId, ...(asksPin && pin !== '' ? { pin } : {}) }).then((r) => {
      setPin('');
      if (r.ok) {
        setError(null);
        onSignedIn(r.value);
      } else setError(r.error.message);
    });
  };
  return (
    <form className="lb-signin" onSubmit={submit} aria-label={t.signIn.title} data-testid="logbook-signin">
      <strong>{t.signIn.title}</strong>
      {loaded !== null && users.length === 0 ? (
        <p className="lb-muted">{t.signIn.emptyRoster}</p>
      ) : (
        <label>
          {t.signIn.name}
          <select
            value={user?.userId ?? ''}
            onChange={(e) => {
              setUserId(e.target.value);
              setError(null);
            }}
            size={Math.min(6, Math.max(2, users.length))}
            data-testid="signin-name"
          >
            {/* The list box is there before the roster arrives, so that F8 always lands on it. */}
            {loaded === null && <option value="">{t.signIn.loading}</option>}
            {users.map((u) => (
              <option key={u.userId} value={u.userId} disabled={u.locked}>
                {`${u.name} — ${t.roles[u.role] ?? u.role}${userState(u) === '' ? '' : ` (${userState(u)})`}`}
              </option>
            ))}
          </select>
        </label>
      )}
      {asksPin && (
        <label>
          {t.signIn.pin}
          <input
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/gu, ''))}
            inputMode="numeric"
            type="password"
            maxLength={8}
            autoComplete="off"
            data-testid="signin-pin"
          />
        </label>
      )}
      <button type="submit" disabled={user === undefined} data-testid="signin-submit">
        {t.signIn.submit}
      </button>
      {error !== null && (
        <p role="alert" className="lb-error">
          {error}
        </p>
      )}
    </form>
  );
};

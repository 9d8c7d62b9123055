import { useState, type FormEvent } from 'react';
import { ROLES, type Role, type VigieClient } from '../../../electron/contract/index.js';
import { useRoster, userState } from './SignIn.js';
import { logbookStrings as t } from './strings.js';

/**
 * The roster screen, for a chef de salle or technicien: add a user with their role and first PIN, give
 * a new PIN, unlock after wrong PINs. Each action is an event of the log naming who did it (the core
 * checks the right again: this screen is only shown to those who have it).
 */
export const Roster = ({ client }: { client: VigieClient }) => {
  const users = useRoster(client);
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('operateur');
  const [pin, setPin] = useState('');
  const [resetFor, setResetFor] = useState('');
  const [newPin, setNewPin] = useState('');
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  const answer = (r: { ok: true } | { ok: false; error: { message: string } }): boolean => {
    setMessage(r.ok ? { error: false, text: t.roster.done } : { error: true, text: r.error.message });
    return r.ok;
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    void client.call('users.add', { name, role, ...(pin === '' ? {} : { pin }) }).then((r) => {
      setPin('');
      if (answer(r)) setName('');
    });
  };
  const reset = (e: FormEvent) => {
    e.preventDefault();
    const userId = resetFor === '' ? users[0]?.userId : resetFor;
    if (userId === undefined) return;
    void client.call('users.resetPin', { userId, pin: newPin }).then((r) => {
      setNewPin('');
      answer(r);
    });
  };

  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)} data-testid="roster-open">
        {t.roster.toggle}
      </button>
    );
  return (
    <section className="lb-roster" aria-label={t.roster.title} data-testid="roster">
      <strong>{t.roster.title}</strong>{' '}
      <button type="button" onClick={() => setOpen(false)}>
        ✕
      </button>
      <ul>
        {users.map((u) => (
          <li key={u.userId}>
            {u.name} — {t.roles[u.role] ?? u.role}
            {userState(u) === '' ? '' : ` (${userState(u)})`}
            {u.failures > 0 && !u.locked ? ` — ${t.roster.failures(u.failures)}` : ''}
            {u.locked && (
              <button
                type="button"
                onClick={() => void client.call('users.unlock', { userId: u.userId }).then(answer)}
                data-testid={`roster-unlock-${u.name}`}
              >
                {t.roster.unlock}
              </button>
            )}
          </li>
        ))}
      </ul>
      <form className="lb-inline-form" onSubmit={add}>
        <label>
          {t.roster.name}
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={60}
            required
            data-testid="roster-name"
          />
        </label>
        <label>
          {t.roster.role}
          <select value={role} onChange={(e) => setRole(ROLES.find((r) => r === e.target.value) ?? 'operateur')}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t.roles[r]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.roster.pin}
          <input
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/gu, ''))}
            type="password"
            inputMode="numeric"
            maxLength={8}
            autoComplete="off"
            data-testid="roster-pin"
          />
        </label>
        <button type="submit" data-testid="roster-add">
          {t.roster.add}
        </button>
      </form>
      <form className="lb-inline-form" onSubmit={reset}>
        <label>
          {t.roster.resetPin}
          <select value={resetFor} onChange={(e) => setResetFor(e.target.value)}>
            {users.map((u) => (
              <option key={u.userId} value={u.userId}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <input
          value={newPin}
          onChange={(e) => setNewPin(e.target.value.replace(/\D/gu, ''))}
          type="password"
          inputMode="numeric"
          maxLength={8}
          autoComplete="off"
          aria-label={t.roster.resetPin}
          required
        />
        <button type="submit">{t.roster.setPin}</button>
      </form>
      {message !== null && (
        <p role={message.error ? 'alert' : 'status'} className={message.error ? 'lb-error' : 'lb-muted'}>
          {message.text}
        </p>
      )}
    </section>
  );
};

import { useState, type FormEvent } from 'react';
import type { Role, Session, VigieClient } from '../../../electron/contract/index.js';
import { logbookStrings as t } from './strings.js';

const ROLE_CODES: Role[] = ['operateur', 'chef_de_salle', 'technicien'];

export const SignIn = ({ client, onSignedIn }: { client: VigieClient; onSignedIn: (s: Session) => void }) => {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('operateur');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void client.call('session.signIn', { name, role, ...(pin !== '' ? { pin } : {}) }).then((r) => {
      if (r.ok) {
        setError(null);
        setPin('');
        onSignedIn(r.value);
      } else setError(r.error.message);
    });
  };
  return (
    <form className="lb-signin" onSubmit={submit} aria-label={t.signIn.title} data-testid="logbook-signin">
      <strong>{t.signIn.title}</strong>
      <label>
        {t.signIn.name}
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={60}
          required
          autoComplete="off"
          data-testid="signin-name"
        />
      </label>
      <label>
        {t.signIn.role}
        <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="signin-role">
          {ROLE_CODES.map((r) => (
            <option key={r} value={r}>
              {t.roles[r]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.signIn.pin}
        <input
          value={pin}
          onChange={(e) => setPin(e.target.value)}
          inputMode="numeric"
          type="password"
          maxLength={8}
          autoComplete="off"
          data-testid="signin-pin"
        />
      </label>
      <button type="submit" data-testid="signin-submit">
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

import { useState, type FormEvent, type ReactNode } from 'react';
import type { Session, Shift, VigieClient } from '../../../electron/contract/index.js';
import { logbookStrings as t } from './strings.js';
import { noumeaDateTime } from './time.js';

const Handover = ({ shift, onClose }: { shift: Shift; onClose: () => void }) => (
  <section className="lb-handover" role="dialog" aria-label={t.shift.lastHandover} data-testid="last-handover">
    <strong>{t.shift.lastHandover}</strong> —{' '}
    {t.shift.handoverBy(shift.closedBy ?? '', shift.closedAt === null ? '' : noumeaDateTime(shift.closedAt))}
    <p className="lb-text">{shift.handover?.consignes === '' ? '—' : shift.handover?.consignes}</p>
    <p>
      {t.shift.openOperations} :{' '}
      {shift.handover === null || shift.handover.openOperations.length === 0
        ? t.shift.none2
        : shift.handover.openOperations.map((o) => `${o.title} (${o.commune})`).join(' · ')}
    </p>
    <p>
      {t.shift.pendingCallbacks} :{' '}
      {shift.handover === null || shift.handover.pendingCallbacks.length === 0
        ? t.shift.none2
        : shift.handover.pendingCallbacks.map((c) => `${c.number} ${c.label}`).join(' · ')}
    </p>
    <button type="button" onClick={onClose} autoFocus>
      {t.shift.close}
    </button>
  </section>
);

export const ShiftBar = ({
  client,
  session,
  shift,
  onSignedOut,
  children,
}: {
  client: VigieClient;
  session: Session;
  shift: Shift | null;
  onSignedOut: () => void;
  /** On the same line (the operations): one line less above the list. */
  children?: ReactNode;
}) => {
  const [mode, setMode] = useState<'idle' | 'open' | 'close'>('idle');
  const [team, setTeam] = useState(session.userName);
  const [consignes, setConsignes] = useState('');
  const [handover, setHandover] = useState<Shift | null>(null);
  const [error, setError] = useState<string | null>(null);
  const may = session.permissions.openCloseShift;

  const open = (e: FormEvent) => {
    e.preventDefault();
    const members = team
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    void client.call('shift.open', { team: members }).then((r) => {
      if (!r.ok) return setError(r.error.message);
      setError(null);
      setMode('idle');
      // The incoming team reads the last handover on opening.
      setHandover(r.value.lastHandover);
    });
  };
  const close = (e: FormEvent) => {
    e.preventDefault();
    void client.call('shift.close', { consignes }).then((r) => {
      if (!r.ok) return setError(r.error.message);
      setError(null);
      setConsignes('');
      setMode('idle');
    });
  };
  const signOut = () => void client.call('session.signOut', {}).then(() => onSignedOut());

  return (
    <div className="lb-shiftbar" data-testid="shift-bar">
      <span data-testid="session-user">
        {t.signIn.signedInAs(session.userName, t.roles[session.role] ?? session.role)}
      </span>
      <button type="button" onClick={signOut}>
        {t.signIn.signOut}
      </button>
      <span className="lb-shift-state" data-testid="shift-state">
        {shift === null ? t.shift.none : t.shift.open(shift.openedBy, noumeaDateTime(shift.openedAt))}
      </span>
      {may && shift === null && mode === 'idle' && (
        <button type="button" onClick={() => setMode('open')} data-testid="shift-open">
          {t.shift.openButton}
        </button>
      )}
      {may && shift !== null && mode === 'idle' && (
        <button type="button" onClick={() => setMode('close')} data-testid="shift-close">
          {t.shift.closeButton}
        </button>
      )}
      {mode === 'open' && (
        <form onSubmit={open} className="lb-inline-form">
          <label>
            {t.shift.team}
            <input value={team} onChange={(e) => setTeam(e.target.value)} autoFocus data-testid="shift-team" />
          </label>
          <button type="submit" data-testid="shift-open-confirm">
            {t.shift.confirmOpen}
          </button>
          <button type="button" onClick={() => setMode('idle')}>
            {t.shift.cancel}
          </button>
        </form>
      )}
      {mode === 'close' && (
        <form onSubmit={close} className="lb-inline-form">
          <label>
            {t.shift.consignes}
            <textarea
              value={consignes}
              onChange={(e) => setConsignes(e.target.value)}
              autoFocus
              rows={3}
              maxLength={8000}
              data-testid="shift-consignes"
            />
          </label>
          <button type="submit" data-testid="shift-close-confirm">
            {t.shift.confirmClose}
          </button>
          <button type="button" onClick={() => setMode('idle')}>
            {t.shift.cancel}
          </button>
        </form>
      )}
      {children}
      {error !== null && (
        <p role="alert" className="lb-error">
          {error}
        </p>
      )}
      {handover !== null && <Handover shift={handover} onClose={() => setHandover(null)} />}
    </div>
  );
};

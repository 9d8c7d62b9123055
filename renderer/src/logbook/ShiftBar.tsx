import { useState, type FormEvent, type ReactNode } from 'react';
import type { Session, Shift, VigieClient } from '../../../electron/contract/index.js';
import { CloseShift } from './CloseShift.js';
import { HandoverBody } from './Handover.js';
import { logbookStrings as t } from './strings.js';
import { noumeaDateTime } from './time.js';

/** The last handover, for the incoming team, when the shift opens: callbacks to act on, with their times. */
const LastHandover = ({ client, shift, onClose }: { client: VigieClient; shift: Shift; onClose: () => void }) => (
  <section className="lb-handover" role="dialog" aria-label={t.shift.lastHandover} data-testid="last-handover">
    <strong>{t.shift.lastHandover}</strong> —{' '}
    {t.shift.handoverBy(shift.closedBy ?? '', shift.closedAt === null ? '' : noumeaDateTime(shift.closedAt))}
    {shift.handover !== null && <HandoverBody client={client} note={shift.handover} />}
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
  onClosed,
  children,
}: {
  client: VigieClient;
  session: Session;
  shift: Shift | null;
  onSignedOut: () => void;
  /** After the close dialog, whatever its end: where the focus goes next. */
  onClosed: () => void;
  /** On the same line (the operations): one line less above the list. */
  children?: ReactNode;
}) => {
  const [mode, setMode] = useState<'idle' | 'open' | 'close'>('idle');
  const [team, setTeam] = useState(session.userName);
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
        <CloseShift
          client={client}
          onDone={() => {
            setMode('idle');
            // The dialog gave the focus back to its button, gone with the shift: the entry box takes it.
            onClosed();
          }}
        />
      )}
      {children}
      {error !== null && (
        <p role="alert" className="lb-error">
          {error}
        </p>
      )}
      {handover !== null && <LastHandover client={client} shift={handover} onClose={() => setHandover(null)} />}
    </div>
  );
};

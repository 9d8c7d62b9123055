import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { BACKUP_MEANS, type BackupMeans, type VigieClient } from '../../../electron/contract/index.js';
import { healthStrings as t } from './strings.js';
import { noumeaHourMinute, noumeaTime, parseNoumeaTime } from './time.js';

/** The usual lines, offered while typing; any other label is accepted. */
const LINES = ['18', '112', '17', '15', 'Standard DSCGR', 'Ligne directe'];

/**
 * A call taken on a backup phone or radio, typed with the keyboard only: the first field has the focus,
 * Tab moves on, Enter records (Ctrl+Entrée from the notes), Escape closes. Recorded only once the core
 * has committed it (docs/architecture.md, "Path of an event").
 */
export const ManualCallForm = ({
  client,
  onClose,
  onSaved,
}: {
  client: VigieClient;
  onClose: () => void;
  onSaved: (message: string) => void;
}) => {
  const [time, setTime] = useState(() => noumeaHourMinute(Date.now()));
  const [line, setLine] = useState('');
  const [caller, setCaller] = useState('');
  const [nature, setNature] = useState('');
  const [notes, setNotes] = useState('');
  const [means, setMeans] = useState<BackupMeans>('gsm');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => first.current?.focus(), []);

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (busy) return;
    const takenAt = parseNoumeaTime(time, Date.now());
    if (takenAt === null) {
      setError(t.form.badTime);
      first.current?.focus();
      return;
    }
    // Checked here in French rather than by the browser's `required`, whose bubble speaks the browser's language.
    const missing = line.trim() === '' ? t.form.lineMissing : nature.trim() === '' ? t.form.natureMissing : null;
    if (missing !== null) {
      setError(missing);
      return;
    }
    setBusy(true);
    void client
      .call('health.recordManualCall', {
        takenAt: new Date(takenAt).toISOString(),
        line,
        callerNumber: caller,
        nature,
        notes,
        means,
      })
      .then((result) => {
        setBusy(false);
        if (!result.ok) {
          setError(result.error.message);
          return;
        }
        onSaved(t.form.saved(result.value.line, noumeaTime(result.value.takenAt)));
        onClose();
      });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
    } else if (e.key === 'Enter' && e.ctrlKey) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <div
      className="manual-call"
      role="dialog"
      aria-modal="true"
      aria-labelledby="manual-call-title"
      onKeyDown={onKeyDown}
    >
      <form ref={form} onSubmit={submit} data-testid="manual-call-form">
        <h2 id="manual-call-title">{t.form.title}</h2>
        <label>
          {t.form.time}
          <input ref={first} name="time" value={time} onChange={(e) => setTime(e.target.value)} inputMode="numeric" />
        </label>
        <label>
          {t.form.line}
          <input name="line" list="manual-call-lines" value={line} onChange={(e) => setLine(e.target.value)} />
        </label>
        <datalist id="manual-call-lines">
          {LINES.map((l) => (
            <option key={l} value={l} />
          ))}
        </datalist>
        <label>
          {t.form.caller}
          <input name="caller" value={caller} onChange={(e) => setCaller(e.target.value)} inputMode="tel" />
        </label>
        <label>
          {t.form.nature}
          <input name="nature" value={nature} onChange={(e) => setNature(e.target.value)} />
        </label>
        <label>
          {t.form.means}
          <select name="means" value={means} onChange={(e) => setMeans(toMeans(e.target.value))}>
            {BACKUP_MEANS.map((m) => (
              <option key={m} value={m}>
                {t.means[m]}
              </option>
            ))}
          </select>
        </label>
        <label className="manual-call-notes">
          {t.form.notes}
          <textarea name="notes" value={notes} onChange={(e) => setNotes(e.target.value)} rows={3} />
        </label>
        {error !== null && (
          <p className="manual-call-error" role="alert">
            {error}
          </p>
        )}
        <div className="manual-call-actions">
          <button type="submit" disabled={busy}>
            {t.form.submit} <kbd>Entrée</kbd>
          </button>
          <button type="button" onClick={onClose}>
            {t.form.cancel} <kbd>Échap</kbd>
          </button>
          <span className="manual-call-help">{t.form.help}</span>
        </div>
      </form>
    </div>
  );
};

const toMeans = (value: string): BackupMeans => BACKUP_MEANS.find((m) => m === value) ?? 'gsm';

import { useEffect, useState, type KeyboardEvent, type RefObject } from 'react';
import type { CallsOptions } from '../../../electron/contract/calls.js';
import type { Operation, VigieClient } from '../../../electron/contract/index.js';
import { formatDateTime } from '../dates.js';
import { readSetting } from '../settings.js';
import { callerLabel, callStrings, formatDuration } from './strings.js';
import type { EndedCall } from './useCalls.js';

const t = callStrings.wrapUp;

/** What « Inscrire en main courante » hands to the entry box. */
export interface EntryPrefill {
  text: string;
  category: string;
  callId: string;
  operationId: string;
  /** Changes on each request, so that the same call can be written twice. */
  serial: number;
}

/**
 * The wrap-up of the last call of this position that ended: qualification (from `calls.options`; made
 * mandatory by the setting `vigie.wrapup.qualificationRequired` = "true"), notes, a link to an operation,
 * and « Inscrire en main courante » pre-filled with the call. Ctrl+Entrée commits from any field.
 */
export const WrapUp = ({
  client,
  ended,
  operations,
  onDone,
  onLogbook,
  formRef,
}: {
  client: VigieClient;
  ended: EndedCall;
  operations: Operation[];
  onDone: (callId: string) => void;
  onLogbook: (prefill: Omit<EntryPrefill, 'serial'>) => void;
  formRef: RefObject<HTMLFormElement | null>;
}) => {
  const [options, setOptions] = useState<CallsOptions | null>(null);
  const [code, setCode] = useState('');
  const [notes, setNotes] = useState('');
  const [operationId, setOperationId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const required = readSetting('wrapup.qualificationRequired') === 'true';
  const { call } = ended;

  useEffect(() => {
    void client.call('calls.options', {}).then((r) => {
      if (r.ok) setOptions(r.value);
    });
  }, [client]);

  const commit = async () => {
    if (busy) return;
    if (required && code === '') return setError(t.needQualification);
    setBusy(true);
    const steps = [
      ...(code !== '' ? [client.call('calls.qualify', { callId: call.id, code })] : []),
      ...(notes.trim() !== '' ? [client.call('calls.note', { callId: call.id, text: notes })] : []),
      ...(operationId !== ''
        ? [client.call('calls.link', { callId: call.id, kind: 'operation', targetId: operationId })]
        : []),
    ];
    const results = await Promise.all(steps);
    setBusy(false);
    const failed = results.find((r) => !r.ok);
    if (failed !== undefined && !failed.ok) return setError(failed.error.message);
    setError(null);
    onDone(call.id);
  };

  const toLogbook = () => {
    const talk = call.answeredAt === null ? '' : formatDuration((ended.at - call.answeredAt) / 1000);
    onLogbook({
      text: t.entryText(callerLabel(call.caller), call.line.label, formatDateTime(call.offeredAt), talk, notes.trim()),
      category: 'appel',
      callId: call.id,
      operationId,
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void commit();
    }
  };

  return (
    <form
      className="wrapup"
      ref={formRef}
      tabIndex={-1}
      aria-label={t.title}
      data-testid="wrapup"
      data-call-id={call.id}
      onKeyDown={onKeyDown}
      onSubmit={(e) => {
        e.preventDefault();
        void commit();
      }}
    >
      <strong>
        {t.title} <kbd>Alt+Q</kbd>
      </strong>
      <div className="wrapup-call">
        {t.of(callerLabel(call.caller), call.line.label)}
        {ended.cause !== null && <> — {t.ended(callStrings.causes[ended.cause])}</>}
      </div>
      <label>
        {t.qualification}
        <select
          value={code}
          onChange={(e) => setCode(e.target.value)}
          required={required}
          data-testid="wrapup-qualification"
        >
          <option value="">{t.choose}</option>
          {options?.qualifications.map((q) => (
            <option key={q.code} value={q.code}>
              {q.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.operation}
        <select value={operationId} onChange={(e) => setOperationId(e.target.value)} data-testid="wrapup-operation">
          <option value="">{t.noOperation}</option>
          {operations
            .filter((o) => o.status === 'ouverte')
            .map((o) => (
              <option key={o.operationId} value={o.operationId}>
                {o.title} — {o.commune}
              </option>
            ))}
        </select>
      </label>
      <label className="wrapup-notes">
        {t.notes}
        <textarea
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
          rows={2}
          maxLength={4000}
          data-testid="wrapup-notes"
        />
      </label>
      <div className="wrapup-actions">
        <button type="submit" disabled={busy} data-testid="wrapup-submit">
          {t.submit}
        </button>
        <button type="button" onClick={toLogbook} data-testid="wrapup-logbook">
          {t.logbook}
        </button>
        <button type="button" onClick={() => onDone(call.id)}>
          {t.skip}
        </button>
      </div>
      {error !== null && (
        <p role="alert" className="lb-error" data-testid="wrapup-error">
          {error}
        </p>
      )}
    </form>
  );
};

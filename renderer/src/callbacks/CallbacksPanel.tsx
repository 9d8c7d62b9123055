import { useEffect, useState, type KeyboardEvent } from 'react';
import type { CallbackRecord, CallsOptions } from '../../../electron/contract/calls.js';
import type { VigieClient } from '../../../electron/contract/index.js';
import { formatDuration } from '../calls/strings.js';
import { useNow } from '../clock.js';
import { formatTime } from '../dates.js';
import { altKeys } from '../shortcuts.js';
import { rankCallbacks } from './rank.js';
import { callbackStrings as t } from './strings.js';
import './callbacks.css';

const Outcome = ({
  client,
  callback,
  options,
  onError,
}: {
  client: VigieClient;
  callback: CallbackRecord;
  options: CallsOptions | null;
  onError: (message: string | null) => void;
}) => {
  const [code, setCode] = useState('');
  const record = () => {
    if (code === '') return;
    void client.call('callbacks.outcome', { callbackId: callback.id, code }).then((r) => {
      onError(r.ok ? null : r.error.message);
      if (r.ok) setCode('');
    });
  };
  return (
    <span className="cb-outcome">
      <select
        value={code}
        onChange={(e) => setCode(e.target.value)}
        aria-label={t.outcome}
        data-testid="callback-outcome"
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            record();
          }
        }}
      >
        <option value="">{t.choose}</option>
        {options?.callbackOutcomes.map((o) => (
          <option key={o.code} value={o.code}>
            {o.label}
            {o.closes ? '' : ` (${t.stays})`}
          </option>
        ))}
      </select>
      <button type="button" onClick={record} disabled={code === ''} data-testid="callback-record">
        {t.record}
      </button>
    </span>
  );
};

/**
 * Pending callbacks, riskiest first (rank.ts), each with the time since the caller gave up. Enter on a
 * row, or Alt+R for the first one, calls back (`calls.dial`); only an outcome takes it off the list.
 */
export const CallbacksPanel = ({
  client,
  pending,
  priorities,
  options,
}: {
  client: VigieClient;
  pending: CallbackRecord[];
  priorities: Record<string, number>;
  options: CallsOptions | null;
}) => {
  const now = useNow();
  const [error, setError] = useState<string | null>(null);
  const [calling, setCalling] = useState<string | null>(null);
  const ranked = rankCallbacks(pending, (c) => priorities[c.callId] ?? 0, now);
  const first = ranked[0]?.callback;

  const callBack = (callback: CallbackRecord) => {
    if (callback.number === '') return setError(t.masked);
    setCalling(callback.id);
    void client.call('calls.dial', { target: callback.number }).then((r) => {
      setCalling(null);
      setError(r.ok ? null : r.error.message);
    });
  };

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!e.altKey || e.code !== altKeys.callBack || first === undefined) return;
      e.preventDefault();
      callBack(first);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const onRowKey = (e: KeyboardEvent<HTMLLIElement>, callback: CallbackRecord) => {
    if (e.key !== 'Enter' || e.target !== e.currentTarget) return;
    e.preventDefault();
    callBack(callback);
  };

  return (
    <div className="callbacks" data-testid="callbacks">
      {ranked.length === 0 ? (
        <p className="empty">{t.empty}</p>
      ) : (
        <ol className="cb-list" aria-label={t.title}>
          {ranked.map(({ callback, abandons, waitedMs, priority }) => (
            <li
              key={callback.id}
              className={`cb${priority >= 10 ? ' call-urgent' : ''}`}
              tabIndex={0}
              onKeyDown={(e) => onRowKey(e, callback)}
              data-testid="callback"
              data-callback-id={callback.id}
              data-number={callback.number}
              data-lost-in-outage={callback.lostInOutage ? 'true' : undefined}
            >
              <div className="cb-head">
                <span className="call-line-label" title={callback.line}>
                  {callback.line}
                </span>
                <span className="call-caller">{callback.number === '' ? t.masked : callback.number}</span>
              </div>
              <div className="cb-meta">
                <span data-testid="callback-since" title={formatTime(callback.createdAt)}>
                  {(callback.lostInOutage ? t.lostInOutage : t.since)(formatDuration(waitedMs / 1000))}
                </span>
                {abandons > 1 && <span className="cb-repeat">⟳ {t.abandons(abandons)}</span>}
                {callback.attempts > 0 && <span>{t.attempts(callback.attempts)}</span>}
              </div>
              <div className="cb-actions">
                <button
                  type="button"
                  onClick={() => callBack(callback)}
                  disabled={callback.number === ''}
                  data-testid="callback-dial"
                >
                  {calling === callback.id ? t.calling : t.callBack}
                  {callback.id === first?.id && <kbd>Alt+R</kbd>}
                </button>
                <Outcome client={client} callback={callback} options={options} onError={setError} />
              </div>
            </li>
          ))}
        </ol>
      )}
      {error !== null && (
        <p role="alert" className="lb-error" data-testid="callback-error">
          {error}
        </p>
      )}
    </div>
  );
};

import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import type { CallbackRecord, HandoverNote, VigieClient } from '../../../electron/contract/index.js';
import { useNow } from '../clock.js';
import { logbookStrings as t } from './strings.js';
import { noumeaDateTime } from './time.js';

type Item = HandoverNote['pendingCallbacks'][number];

/**
 * The pending callbacks of a handover, as items to act on: the line, the number once, when the caller gave
 * up and how long ago, where it stands now (still pending, or its outcome), and « Rappeler » (Enter on the
 * item, or its button) which dials the number.
 */
export const HandoverCallbacks = ({ client, items }: { client: VigieClient; items: Item[] }) => {
  const now = useNow();
  const [states, setStates] = useState<Map<string, CallbackRecord>>(new Map());
  const [calling, setCalling] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    void client.call('callbacks.list', { status: 'all', limit: 1000 }).then((r) => {
      if (r.ok) setStates(new Map(r.value.map((c) => [c.id, c])));
    });
  }, [client]);
  useEffect(() => {
    load();
    return client.onEvent((event) => {
      if (event.type === 'callbacks.changed') load();
    });
  }, [client, load]);

  const dial = (item: Item) => {
    if (item.number === '') return setError(t.handover.masked);
    setCalling(item.id);
    void client.call('calls.dial', { target: item.number }).then((r) => {
      setCalling(null);
      setError(r.ok ? null : r.error.message);
    });
  };
  const onKey = (e: KeyboardEvent<HTMLLIElement>, item: Item) => {
    if (e.key !== 'Enter' || e.target !== e.currentTarget) return;
    e.preventDefault();
    dial(item);
  };

  if (items.length === 0) return <p className="lb-muted">{t.handover.noCallbacks}</p>;
  return (
    <>
      <ul className="lb-handover-callbacks" aria-label={t.shift.pendingCallbacks} data-testid="handover-callbacks">
        {items.map((item) => {
          const state = states.get(item.id);
          const done = state?.status === 'done';
          return (
            <li
              key={item.id}
              tabIndex={0}
              onKeyDown={(e) => onKey(e, item)}
              data-testid="handover-callback"
              data-state={done ? 'done' : 'pending'}
            >
              <strong>{item.label}</strong>{' '}
              <span className="lb-handover-number">{item.number || t.handover.masked}</span>{' '}
              {item.abandonedAt !== undefined && (
                <span data-testid="handover-callback-at">
                  {t.handover.abandonedAt(
                    noumeaDateTime(item.abandonedAt),
                    t.operations.durationText(now - Date.parse(item.abandonedAt)),
                  )}
                </span>
              )}{' '}
              {state !== undefined && state.attempts > 0 && <span>{t.handover.attempts(state.attempts)}</span>}{' '}
              {done ? (
                <span className="lb-badge" data-testid="handover-callback-done">
                  {t.handover.done(state.outcome?.label ?? '')}
                </span>
              ) : (
                <button type="button" onClick={() => dial(item)} data-testid="handover-callback-dial">
                  {calling === item.id ? t.handover.calling : t.handover.callBack}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {error !== null && (
        <p role="alert" className="lb-error" data-testid="handover-callback-error">
          {error}
        </p>
      )}
    </>
  );
};

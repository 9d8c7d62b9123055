import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type {
  CallEndCause,
  CallRecord,
  CallsOptions,
  LogbookEntry,
  VigieClient,
} from '../../../electron/contract/index.js';
import { callerLabel, callStrings, formatDuration } from '../calls/strings.js';
import { formatDateTime } from '../dates.js';
import '../directory/directory.css';
import './history.css';
import { historyStrings as t } from './strings.js';
import { useModalDialog } from '../useModalDialog.js';

export interface HistoryFilters {
  line: string;
  qualification: string;
  cause: CallEndCause | '';
  number: string;
}
/** How a call ended, in words: one lost to an outage says so rather than « abandonné » (issue 12 item 2). */
const endLabel = (c: CallRecord): string => {
  if (c.cause === null) return t.inProgress;
  if (c.lostInOutage) return callStrings.lostInOutage;
  return c.endDetail === null ? callStrings.causes[c.cause] : `${callStrings.causes[c.cause]} (${c.endDetail})`;
};

const NO_FILTERS: HistoryFilters = { line: '', qualification: '', cause: '', number: '' };
const CAUSES = Object.keys(callStrings.causes) as CallEndCause[]; // the keys of a Record<CallEndCause, string>

/** The calls.list arguments for these filters: empty ones left out. */
export const historyArgs = (f: HistoryFilters) => ({
  limit: 200,
  ...(f.line === '' ? {} : { line: f.line }),
  ...(f.qualification === '' ? {} : { qualification: f.qualification }),
  ...(f.cause === '' ? {} : { cause: f.cause }),
  ...(f.number.trim() === '' ? {} : { number: f.number.trim() }),
});

/** The linked main courante entries of a call, read one by one (a call has a few). */
const useLinkedEntries = (client: VigieClient, call: CallRecord | undefined): LogbookEntry[] | null => {
  // Kept with the list of ids they answer: another call's entries are never shown while these load.
  const [loaded, setLoaded] = useState<{ key: string; entries: LogbookEntry[] } | null>(null);
  const ids = (call?.links ?? []).filter((l) => l.kind === 'entry').map((l) => l.targetId);
  const key = `${call?.id ?? ''}:${ids.join(',')}`;
  useEffect(() => {
    let live = true;
    const wanted =
      key
        .split(':')[1]
        ?.split(',')
        .filter((id) => id !== '') ?? [];
    void Promise.all(wanted.map((entryId) => client.call('logbook.get', { entryId }))).then((results) => {
      if (live) setLoaded({ key, entries: results.flatMap((r) => (r.ok ? [r.value] : [])) });
    });
    return () => {
      live = false;
    };
  }, [client, key]);
  return loaded?.key === key ? loaded.entries : null;
};

/**
 * Alt+H: the call log with filters by line, qualification, outcome and number (issue 10 item 7). Entrée on
 * a call calls its number back; the chosen call's notes and linked main courante entries are shown beside.
 */
export const HistoryDialog = ({
  client,
  open,
  onCallBack,
  onClose,
}: {
  client: VigieClient;
  open: boolean;
  onCallBack: (call: CallRecord) => void;
  onClose: () => void;
}) => {
  const list = useRef<HTMLOListElement>(null);
  const [filters, setFilters] = useState<HistoryFilters>(NO_FILTERS);
  const [calls, setCalls] = useState<CallRecord[] | null>(null);
  const [options, setOptions] = useState<CallsOptions | null>(null);
  const [lines, setLines] = useState<{ number: string; label: string }[]>([]);
  const [chosen, setChosen] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);

  const dialog = useModalDialog(open, onClose, list, () => {
    setChosen(0);
    setNotice(null);
  });

  useEffect(() => {
    if (!open) return;
    void client.call('calls.options', {}).then((r) => r.ok && setOptions(r.value));
  }, [client, open]);

  useEffect(() => {
    if (!open) return;
    let live = true;
    void client.call('calls.list', historyArgs(filters)).then((r) => {
      if (!live) return;
      if (!r.ok) return setNotice(r.error.message);
      setCalls(r.value);
      // The lines offered are those seen in the log (the configured ones are the SIP side's).
      setLines((old) => {
        const seen = new Map(old.map((l) => [l.number, l] as const));
        for (const c of r.value) if (c.direction === 'in') seen.set(c.line.number, c.line);
        return [...seen.values()].sort((a, b) => a.label.localeCompare(b.label, 'fr'));
      });
    });
    return () => {
      live = false;
    };
  }, [client, open, filters]);

  const rows = calls ?? [];
  const at = Math.min(chosen, Math.max(0, rows.length - 1));
  const call = rows[at];
  const entries = useLinkedEntries(client, call);

  const callBack = (c: CallRecord | undefined) => {
    if (c === undefined) return;
    if (c.caller.number === '') return setNotice(t.masked);
    onCallBack(c);
  };
  const onKey = (e: KeyboardEvent<HTMLOListElement>) => {
    const step =
      e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : e.key === 'PageDown' ? 10 : e.key === 'PageUp' ? -10 : 0;
    if (step !== 0) {
      e.preventDefault();
      setChosen(Math.max(0, Math.min(rows.length - 1, at + step)));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      e.stopPropagation();
      callBack(call);
    }
  };
  const set = <K extends keyof HistoryFilters>(k: K, v: HistoryFilters[K]) => {
    setFilters((old) => ({ ...old, [k]: v }));
    setChosen(0);
  };

  return (
    <dialog {...dialog} className="history" aria-labelledby="history-title" data-testid="history">
      <h2 id="history-title">{t.title}</h2>
      <div className="history-filters">
        <label>
          {t.line}
          <select value={filters.line} onChange={(e) => set('line', e.target.value)} data-testid="history-line">
            <option value="">{t.all}</option>
            {lines.map((l) => (
              <option key={l.number} value={l.number}>
                {l.label} ({l.number})
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.qualification}
          <select
            value={filters.qualification}
            onChange={(e) => set('qualification', e.target.value)}
            data-testid="history-qualification"
          >
            <option value="">{t.all}</option>
            {(options?.qualifications ?? []).map((q) => (
              <option key={q.code} value={q.code}>
                {q.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.outcome}
          <select
            value={filters.cause}
            onChange={(e) => set('cause', CAUSES.find((c) => c === e.target.value) ?? '')}
            data-testid="history-cause"
          >
            <option value="">{t.all}</option>
            {CAUSES.map((c) => (
              <option key={c} value={c}>
                {callStrings.causes[c]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.number}
          <input
            value={filters.number}
            onChange={(e) => set('number', e.target.value.replace(/[^0-9+ .()-]/g, ''))}
            inputMode="tel"
            data-testid="history-number"
          />
        </label>
      </div>
      <p className="directory-hint">
        {t.hint} <span data-testid="history-count">{t.count(rows.length)}</span>
      </p>
      {notice !== null && (
        <p className="directory-notice error" role="alert" data-testid="history-notice">
          {notice}
        </p>
      )}
      <div className="history-body">
        <ol
          ref={list}
          className="directory-results history-list"
          role="listbox"
          tabIndex={0}
          aria-label={t.title}
          aria-activedescendant={call === undefined ? undefined : `hist-${call.id}`}
          onKeyDown={onKey}
          data-testid="history-list"
        >
          {calls === null && <li className="directory-empty">{t.loading}</li>}
          {calls !== null && rows.length === 0 && <li className="directory-empty">{t.none}</li>}
          {rows.map((c, i) => (
            <li
              key={c.id}
              id={`hist-${c.id}`}
              role="option"
              aria-selected={i === at}
              className={i === at ? 'chosen' : undefined}
              onClick={() => setChosen(i)}
              data-testid="history-call"
              data-call-id={c.id}
            >
              <span className="directory-name">
                {formatDateTime(c.offeredAt)} · {c.line.label} · {callerLabel(c.caller)}
              </span>
              <span className="history-dir">{t.direction[c.direction]}</span>
              <span className="directory-sub">
                {endLabel(c)} · {t.operator(c.operator)} · {c.qualification?.label ?? t.notQualified}
                {c.talkMs === null ? '' : ` · ${formatDuration(c.talkMs / 1000)}`}
              </span>
            </li>
          ))}
        </ol>
        <section className="history-details" aria-label={t.entries} data-testid="history-details">
          {call !== undefined && (
            <>
              <p>
                <strong>{callerLabel(call.caller)}</strong> — {call.line.label}
                {call.transferredTo === null ? '' : ` — ${t.transferredTo(call.transferredTo)}`}
              </p>
              {call.notes.length > 0 && (
                <>
                  <h3>{t.notes}</h3>
                  <ul>
                    {call.notes.map((n) => (
                      <li key={`${n.at}-${n.text}`}>{n.text}</li>
                    ))}
                  </ul>
                </>
              )}
              <h3>{t.entries}</h3>
              {entries !== null && entries.length === 0 && <p className="directory-empty">{t.noEntries}</p>}
              <ul data-testid="history-entries">
                {(entries ?? []).map((e) => (
                  <li key={e.id}>
                    <span className="directory-sub">{e.reference}</span> {e.text}
                  </li>
                ))}
              </ul>
              {call.links.some((l) => l.kind === 'operation') && (
                <p className="directory-sub">{t.operations(call.links.filter((l) => l.kind === 'operation').length)}</p>
              )}
              <button type="button" onClick={() => callBack(call)} disabled={call.caller.number === ''}>
                {t.callBack}
              </button>
            </>
          )}
        </section>
      </div>
      <div className="directory-foot">
        <button type="button" onClick={onClose}>
          {t.close}
        </button>
      </div>
    </dialog>
  );
};

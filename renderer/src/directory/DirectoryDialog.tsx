import { useRef, useState, type ChangeEvent, type KeyboardEvent } from 'react';
import { DIRECTORY_CATEGORY_LABELS, type VigieClient } from '../../../electron/contract/index.js';
import { downloadBlob } from '../download.js';
import { phoneKeys } from '../shortcuts.js';
import { directoryStrings as t } from './strings.js';
import { typedNumber, useDirectorySearch } from './useDirectory.js';
import './directory.css';
import { useModalDialog } from '../useModalDialog.js';

export interface DirectoryTarget {
  number: string;
  label: string;
}

/**
 * The operational directory in a modal dialog: search as you type (name, service, commune, number), or a
 * number typed straight in. Mode « call »: Entrée calls the choice. Mode « transfer »: Entrée transfers
 * the caller directly (blind), Alt+C calls the target first (attended). Import and export of the CSV are
 * at the foot, reached by Tab.
 */
export const DirectoryDialog = ({
  client,
  mode,
  caller,
  onChoose,
  onClose,
}: {
  client: VigieClient;
  /** null: closed. */
  mode: 'call' | 'transfer' | null;
  caller: string;
  onChoose: (target: DirectoryTarget, how: 'enter' | 'consult') => void;
  onClose: () => void;
}) => {
  const input = useRef<HTMLInputElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  // The target chosen with the arrows, by id (null: the first one). A change made at another position runs
  // the search again and may move the list under the operator's choice: Enter calls what is highlighted.
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ text: string; details: string[]; error: boolean } | null>(null);
  const open = mode !== null;
  const dialog = useModalDialog(open, onClose, input, () => {
    setQuery('');
    setChosenId(null);
    setNotice(null);
  });
  const { found, error: searchError } = useDirectorySearch(client, query, open);

  const typed = typedNumber(query);
  const targets: (DirectoryTarget & { id: string; sub: string; key: number | null; notes: string })[] = [
    ...(typed === null
      ? []
      : [{ id: 'typed', number: typed, label: typed, sub: t.typedNumber(typed), key: null, notes: '' }]),
    ...(found ?? []).map((e) => ({
      id: e.id,
      number: e.number,
      label: e.name,
      sub: `${DIRECTORY_CATEGORY_LABELS[e.category]} · ${e.number}`,
      key: e.speedDial,
      notes: e.notes,
    })),
  ];
  // -1 when the chosen target has gone (removed elsewhere): nothing is highlighted, Enter does nothing.
  const at = chosenId === null ? 0 : targets.findIndex((x) => x.id === chosenId);

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    if (step !== 0) {
      e.preventDefault();
      const next = at < 0 ? targets[0] : targets[Math.max(0, Math.min(targets.length - 1, at + step))];
      setChosenId(next?.id ?? null);
      return;
    }
    const target = targets[at];
    const consult = mode === 'transfer' && e.altKey && e.key.toLowerCase() === phoneKeys.consult;
    if ((e.key === 'Enter' && !e.altKey) || consult) {
      e.preventDefault();
      e.stopPropagation();
      if (target !== undefined) onChoose({ number: target.number, label: target.label }, consult ? 'consult' : 'enter');
    }
  };

  const exportCsv = () => {
    void client.call('directory.export', {}).then((r) => {
      if (!r.ok) return setNotice({ text: r.error.message, details: [], error: true });
      downloadBlob(new Blob([`\uFEFF${r.value.csv}`], { type: 'text/csv;charset=utf-8' }), 'annuaire.csv');
      setNotice({ text: t.exported(r.value.count), details: [], error: false });
    });
  };
  const importCsv = (e: ChangeEvent<HTMLInputElement>) => {
    const picked = e.target.files?.[0];
    e.target.value = '';
    if (picked === undefined) return;
    void picked
      .text()
      .then((csv) =>
        client
          .call('directory.import', { csv })
          .then((r) =>
            setNotice(
              r.ok
                ? { text: t.imported(r.value.created, r.value.updated), details: [], error: false }
                : { text: r.error.message, details: r.error.details ?? [], error: true },
            ),
          ),
      );
  };

  return (
    <dialog {...dialog} className="directory" aria-labelledby="directory-title" data-testid="directory">
      <h2 id="directory-title">{mode === 'transfer' ? t.transferTitle(caller) : t.callTitle}</h2>
      <label className="directory-search">
        {t.search}
        <input
          ref={input}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setChosenId(null);
          }}
          onKeyDown={onKey}
          role="combobox"
          aria-expanded="true"
          aria-controls="directory-results"
          aria-activedescendant={targets[at] === undefined ? undefined : `dir-${targets[at].id}`}
          data-testid="directory-search"
          autoComplete="off"
        />
      </label>
      <p className="directory-hint">
        {mode === 'transfer' ? t.transferHint : t.callHint} <span>{t.count(targets.length)}</span>
      </p>
      <ul id="directory-results" role="listbox" className="directory-results" data-testid="directory-results">
        {searchError !== null && (
          <li className="directory-empty error" role="alert" data-testid="directory-search-error">
            {t.searchFailed(searchError)}
          </li>
        )}
        {found === null && searchError === null && <li className="directory-empty">{t.loading}</li>}
        {found !== null && targets.length === 0 && <li className="directory-empty">{t.none}</li>}
        {targets.map((target, i) => (
          <li
            key={target.id}
            id={`dir-${target.id}`}
            role="option"
            aria-selected={i === at}
            className={i === at ? 'chosen' : undefined}
            data-testid="directory-entry"
            data-number={target.number}
            onClick={() => onChoose({ number: target.number, label: target.label }, 'enter')}
          >
            <span className="directory-name">{target.label}</span>
            {target.key !== null && <kbd className="directory-key">{t.speedDial(target.key)}</kbd>}
            <span className="directory-sub">{target.sub}</span>
            {target.notes !== '' && <span className="directory-notes">{target.notes}</span>}
          </li>
        ))}
      </ul>
      {notice !== null && (
        <div
          className={notice.error ? 'directory-notice error' : 'directory-notice'}
          role="status"
          data-testid="directory-notice"
        >
          <p>{notice.text}</p>
          {notice.details.length > 0 && (
            <ul>
              {notice.details.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="directory-foot">
        <button type="button" onClick={() => file.current?.click()} data-testid="directory-import">
          {t.import}
        </button>
        <input ref={file} type="file" accept=".csv,text/csv" hidden onChange={importCsv} data-testid="directory-file" />
        <button type="button" onClick={exportCsv} data-testid="directory-export">
          {t.export}
        </button>
        <button type="button" onClick={onClose}>
          {t.close}
        </button>
      </div>
    </dialog>
  );
};

import { useEffect, useRef, useState } from 'react';
import type { ExportSaved, LogbookFilters, VigieClient } from '../../../electron/contract/index.js';
import { logbookStrings as t } from './strings.js';

type Phase =
  | { kind: 'idle' }
  | { kind: 'running'; done: number; total: number }
  | { kind: 'saving' }
  | { kind: 'done'; entries: number; saved: ExportSaved }
  | { kind: 'failed'; message: string };

/**
 * Exports what the list shows — the same words searched and the same filters — then hands the file to the
 * person: a download in the browser, the save dialog in Electron. While it runs: the progress, and the
 * buttons say it is under way.
 */
export const ExportBar = ({
  client,
  query,
  filters,
}: {
  client: VigieClient;
  query: string;
  filters: LogbookFilters;
}) => {
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const exportId = useRef<string | null>(null);
  useEffect(
    () =>
      client.onEvent((event) => {
        if (event.type !== 'export.progress') return;
        // Another page's export is not ours: only the first one seen while running is followed.
        exportId.current ??= event.exportId;
        if (event.exportId !== exportId.current) return;
        setPhase((p) => (p.kind === 'running' ? { kind: 'running', done: event.done, total: event.total } : p));
      }),
    [client],
  );
  const busy = phase.kind === 'running' || phase.kind === 'saving';
  const start = (format: 'pdf' | 'csv') => {
    if (busy) return;
    exportId.current = null;
    setPhase({ kind: 'running', done: 0, total: 1 });
    const words = query.trim();
    void client.call('export.start', { format, filters, ...(words !== '' ? { query: words } : {}) }).then((r) => {
      if (!r.ok) return setPhase({ kind: 'failed', message: r.error.message });
      const entries = r.value.entries;
      if (client.saveExport === undefined) return setPhase({ kind: 'failed', message: t.export.noSave });
      setPhase({ kind: 'saving' });
      void client
        .saveExport(r.value.exportId)
        .then((s) =>
          setPhase(s.ok ? { kind: 'done', entries, saved: s.value } : { kind: 'failed', message: s.error.message }),
        );
    });
  };
  return (
    <div className="lb-export" data-testid="logbook-export" aria-busy={busy}>
      <button type="button" onClick={() => start('pdf')} aria-disabled={busy} data-testid="export-pdf">
        {phase.kind === 'running' ? t.export.pending : t.export.pdf}
      </button>
      <button type="button" onClick={() => start('csv')} aria-disabled={busy} data-testid="export-csv">
        {t.export.csv}
      </button>
      <span role="status" data-testid="export-state">
        {phase.kind === 'running' && (
          <>
            {t.export.progress(phase.done, phase.total)} <progress max={phase.total} value={phase.done} />
          </>
        )}
        {phase.kind === 'saving' && t.export.saving}
        {phase.kind === 'done' && (
          <span data-testid="export-result">
            {phase.saved.saved ? t.export.done(phase.saved.name, phase.entries) : t.export.cancelled}
          </span>
        )}
      </span>
      {phase.kind === 'failed' && (
        <span role="alert" className="lb-error" data-testid="export-error">
          {phase.message}
        </span>
      )}
    </div>
  );
};

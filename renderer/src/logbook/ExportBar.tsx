import { useEffect, useState } from 'react';
import type { ExportResult, LogbookFilters, VigieClient } from '../../../electron/contract/index.js';
import { logbookStrings as t } from './strings.js';

/** Exports what the list shows (same filters); the core writes the file and reports progress as events. */
export const ExportBar = ({ client, filters }: { client: VigieClient; filters: LogbookFilters }) => {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(
    () =>
      client.onEvent((event) => {
        if (event.type === 'export.progress') setProgress({ done: event.done, total: event.total });
      }),
    [client],
  );
  const start = (format: 'pdf' | 'csv') => {
    setResult(null);
    setError(null);
    setProgress({ done: 0, total: 1 });
    void client.call('export.start', { format, filters }).then((r) => {
      setProgress(null);
      if (r.ok) setResult(r.value);
      else setError(r.error.message);
    });
  };
  return (
    <div className="lb-export" data-testid="logbook-export">
      <button type="button" onClick={() => start('pdf')} disabled={progress !== null} data-testid="export-pdf">
        {t.export.pdf}
      </button>
      <button type="button" onClick={() => start('csv')} disabled={progress !== null} data-testid="export-csv">
        {t.export.csv}
      </button>
      {progress !== null && (
        <span role="status">
          {t.export.progress(progress.done, progress.total)} <progress max={progress.total} value={progress.done} />
        </span>
      )}
      {result !== null && (
        <span role="status" data-testid="export-result" data-file={result.file}>
          {t.export.done(result.file, result.entries)}
        </span>
      )}
      {error !== null && (
        <span role="alert" className="lb-error">
          {error}
        </span>
      )}
    </div>
  );
};

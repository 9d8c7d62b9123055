import { useState } from 'react';
import type { LogbookEntry, Operation, VigieClient } from '../../../electron/contract/index.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { logbookStrings as t } from './strings.js';

/** « O » on an entry of the list: rattache it to an open operation, as a new event (links.ts in the core). */
export const LinkOperation = ({
  client,
  entry,
  operations,
  onDone,
}: {
  client: VigieClient;
  entry: LogbookEntry;
  operations: Operation[];
  onDone: () => void;
}) => {
  const open = operations.filter((o) => o.status === 'ouverte');
  const [operationId, setOperationId] = useState(open[0]?.operationId ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(
    entry.operationId !== null ? t.link.already : open.length === 0 ? t.link.noneOpen : null,
  );
  const confirm = () => {
    if (operationId === '' || entry.operationId !== null) return;
    setBusy(true);
    void client.call('logbook.linkOperation', { entryId: entry.id, operationId }).then((r) => {
      setBusy(false);
      if (!r.ok) return setError(r.error.message);
      onDone();
    });
  };
  return (
    <ConfirmDialog
      title={t.link.title(entry.reference)}
      confirmLabel={t.link.confirm}
      busy={busy}
      error={error}
      onConfirm={confirm}
      onCancel={onDone}
      testId="link-operation"
    >
      <p className="lb-text lb-dialog-quote">{entry.text}</p>
      <label>
        {t.link.operation}{' '}
        <select
          value={operationId}
          onChange={(e) => setOperationId(e.target.value)}
          autoFocus
          data-testid="link-operation-select"
        >
          {open.map((o) => (
            <option key={o.operationId} value={o.operationId}>
              {o.title} — {o.commune}
            </option>
          ))}
        </select>
      </label>
    </ConfirmDialog>
  );
};

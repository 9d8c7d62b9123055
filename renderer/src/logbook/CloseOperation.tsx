import { useEffect, useState } from 'react';
import type { Operation, OperationSummary, VigieClient } from '../../../electron/contract/index.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { logbookStrings as t } from './strings.js';
import { noumeaDateTime } from './time.js';

/**
 * Closing an operation, for the chef de salle only (the core refuses the others): its summary first —
 * entries and calls linked, how long it lasted — and a bilan to write, then a confirmation.
 */
export const CloseOperation = ({
  client,
  operation,
  onDone,
}: {
  client: VigieClient;
  operation: Operation;
  onDone: () => void;
}) => {
  const [summary, setSummary] = useState<OperationSummary | null>(null);
  const [bilan, setBilan] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void client.call('operation.summary', { operationId: operation.operationId }).then((r) => {
      if (r.ok) setSummary(r.value);
      else setError(r.error.message);
    });
  }, [client, operation.operationId]);
  const confirm = () => {
    setBusy(true);
    const text = bilan.trim();
    void client
      .call('operation.close', { operationId: operation.operationId, ...(text !== '' ? { summary: text } : {}) })
      .then((r) => {
        setBusy(false);
        if (!r.ok) return setError(r.error.message);
        onDone();
      });
  };
  return (
    <ConfirmDialog
      title={t.operations.closeTitle(operation.title)}
      confirmLabel={t.operations.closeConfirm}
      busy={busy || summary === null}
      error={error}
      onConfirm={confirm}
      onCancel={onDone}
      testId="operation-close"
    >
      <dl data-testid="operation-summary">
        <dt>{t.operations.commune}</dt>
        <dd>
          {operation.commune} ({operation.province}) — {operation.type}
        </dd>
        <dt>{t.operations.openedAt}</dt>
        <dd>
          {noumeaDateTime(operation.createdAt)} — {operation.createdBy}
        </dd>
        <dt>{t.operations.duration}</dt>
        <dd data-testid="operation-duration">
          {summary === null ? '…' : t.operations.durationText(summary.durationMs)}
        </dd>
        <dt>{t.operations.entries}</dt>
        <dd data-testid="operation-entries">{summary === null ? '…' : summary.entries}</dd>
        <dt>{t.operations.calls}</dt>
        <dd data-testid="operation-calls">{summary === null ? '…' : summary.calls}</dd>
      </dl>
      <label>
        {t.operations.bilan}
        <textarea
          value={bilan}
          onChange={(e) => setBilan(e.target.value)}
          rows={3}
          maxLength={2000}
          autoFocus
          data-testid="operation-bilan"
        />
      </label>
    </ConfirmDialog>
  );
};

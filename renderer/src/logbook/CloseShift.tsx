import { useEffect, useState } from 'react';
import type { HandoverPreview, VigieClient } from '../../../electron/contract/index.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { HandoverBody } from './Handover.js';
import { logbookStrings as t } from './strings.js';
import { noumeaDateTime } from './time.js';

/**
 * Closing the shift: the handover that will be written (shift.preview: open operations, pending callbacks
 * with their times, to act on now), the consignes to type, then a confirmation. Nothing is written before.
 */
export const CloseShift = ({ client, onDone }: { client: VigieClient; onDone: (closed: boolean) => void }) => {
  const [preview, setPreview] = useState<HandoverPreview | null>(null);
  const [consignes, setConsignes] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void client.call('shift.preview', {}).then((r) => {
      if (r.ok) setPreview(r.value);
      else setError(r.error.message);
    });
  }, [client]);
  const confirm = () => {
    setBusy(true);
    void client.call('shift.close', { consignes }).then((r) => {
      setBusy(false);
      if (!r.ok) return setError(r.error.message);
      onDone(true);
    });
  };
  return (
    <ConfirmDialog
      title={t.shift.previewTitle}
      confirmLabel={t.shift.confirmCloseKey}
      busy={busy || preview === null}
      error={error}
      onConfirm={confirm}
      onCancel={() => onDone(false)}
      testId="shift-close-dialog"
    >
      {preview !== null && (
        <>
          <p data-testid="shift-preview-intro">
            {t.shift.previewIntro(preview.entries, noumeaDateTime(preview.shift.openedAt))}
          </p>
          <label className="lb-dialog-field">
            {t.shift.consignes}
            <textarea
              value={consignes}
              onChange={(e) => setConsignes(e.target.value)}
              autoFocus
              rows={3}
              maxLength={8000}
              data-testid="shift-consignes"
            />
          </label>
          <HandoverBody client={client} note={{ ...preview, consignes: null }} />
        </>
      )}
    </ConfirmDialog>
  );
};

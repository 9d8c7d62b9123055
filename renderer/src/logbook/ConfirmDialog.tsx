import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';
import { logbookStrings as t } from './strings.js';

/**
 * A modal confirmation (a native <dialog> opened with showModal(): the focus stays inside, Escape cancels
 * and the browser gives the focus back to where it was). Enter on the confirm button, or Ctrl+Entrée from
 * any field, confirms; while the request runs the button says so and a second press does nothing.
 */
export const ConfirmDialog = ({
  title,
  confirmLabel,
  busy,
  error,
  onConfirm,
  onCancel,
  children,
  testId,
}: {
  title: string;
  confirmLabel: string;
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
  testId: string;
}) => {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy) onConfirm();
  };
  return (
    <dialog
      ref={ref}
      className="lb-dialog"
      aria-labelledby={`${testId}-title`}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      data-testid={testId}
    >
      <form
        onSubmit={submit}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e);
        }}
      >
        <h2 id={`${testId}-title`}>{title}</h2>
        {children}
        {error !== null && (
          <p role="alert" className="lb-error" data-testid={`${testId}-error`}>
            {error}
          </p>
        )}
        <div className="lb-dialog-buttons">
          <button type="submit" aria-disabled={busy} data-testid={`${testId}-confirm`}>
            {busy ? t.dialog.pending : confirmLabel}
          </button>
          <button type="button" onClick={onCancel} data-testid={`${testId}-cancel`}>
            {t.dialog.cancel}
          </button>
        </div>
      </form>
    </dialog>
  );
};

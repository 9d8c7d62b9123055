import type { SyntheticEvent } from 'react';

/**
 * The `cancel` and `close` handlers of a modal <dialog> whose open state the screen holds. Escape fires
 * `cancel` in its own keydown: the state closes at once, so a key typed just after finds it closed. The
 * `close` event comes later, as a task of its own (HTML, "The dialog element"): when the dialog was opened
 * again in between (Escape then Alt+P at once), that late event must not close the new opening, so it
 * closes only a dialog that is still shut.
 */
export const dialogClose = (
  onClose: () => void,
): { onCancel: () => void; onClose: (e: SyntheticEvent<HTMLDialogElement>) => void } => ({
  onCancel: onClose,
  onClose: (e) => {
    if (!e.currentTarget.open) onClose();
  },
});

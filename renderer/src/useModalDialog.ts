import { useLayoutEffect, useRef, useState, type RefObject, type SyntheticEvent } from 'react';

/**
 * A native modal <dialog> whose open state the screen holds (directory, dial pad, history), opened and typed
 * into at once from the keyboard. Returns the props of the <dialog>.
 * - `reset` runs while rendering the opening, not in an effect: the field is empty in the same commit that
 *   shows it, so a key typed right after the opening key never lands behind the previous text (React's
 *   "adjusting some state when a prop changes", react.dev, You Might Not Need an Effect).
 * - showModal() and the focus are a layout effect: they run in the commit of the opening key, so the field
 *   has the focus before the next key is handled (a passive effect could come after it: that key was lost).
 * - Escape fires `cancel` in its own keydown: the state closes at once, so a key typed just after finds it
 *   closed. The `close` event comes later, as a task of its own (HTML, "The dialog element"): when the dialog
 *   was opened again in between (Escape then Alt+P at once), that late event must not close the new opening,
 *   so it closes only a dialog that is still shut.
 */
export const useModalDialog = (
  open: boolean,
  onClose: () => void,
  focus: RefObject<HTMLElement | null>,
  reset: () => void,
): {
  ref: RefObject<HTMLDialogElement | null>;
  onCancel: () => void;
  onClose: (e: SyntheticEvent<HTMLDialogElement>) => void;
} => {
  const ref = useRef<HTMLDialogElement>(null);
  const [shownOpen, setShownOpen] = useState(open);
  if (open !== shownOpen) {
    setShownOpen(open);
    if (open) reset();
  }
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) {
      dialog.showModal();
      focus.current?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open, focus]);
  return {
    ref,
    onCancel: onClose,
    onClose: (e) => {
      if (!e.currentTarget.open) onClose();
    },
  };
};

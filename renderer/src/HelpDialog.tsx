import { useEffect, useRef } from 'react';
import { shortcutMap } from './shortcuts.js';
import './help.css';

/**
 * F1: the shortcut map (shortcuts.ts) in a modal dialog. showModal() keeps the focus inside; Escape or F1
 * closes it and the browser gives the focus back to where it was.
 */
export const HelpDialog = ({ open, onClose }: { open: boolean; onClose: () => void }) => {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="help" aria-labelledby="help-title" onClose={onClose} data-testid="help">
      <h2 id="help-title">Raccourcis clavier</h2>
      <div className="help-groups">
        {shortcutMap.map((group) => (
          <section key={group.title}>
            <h3>{group.title}</h3>
            <table>
              <tbody>
                {group.items.map((item) => (
                  <tr key={`${group.title}-${item.keys}-${item.action}`}>
                    <th scope="row">
                      <kbd>{item.keys}</kbd>
                    </th>
                    <td>{item.action}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
      <button type="button" onClick={onClose} autoFocus>
        Fermer (Échap ou F1)
      </button>
    </dialog>
  );
};

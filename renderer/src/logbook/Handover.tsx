import type { HandoverNote, VigieClient } from '../../../electron/contract/index.js';
import { HandoverCallbacks } from './HandoverCallbacks.js';
import { logbookStrings as t } from './strings.js';

/** The body of a handover: consignes, open operations, pending callbacks to act on (preview and last one). */
export const HandoverBody = ({
  client,
  note,
}: {
  client: VigieClient;
  note: Omit<HandoverNote, 'consignes'> & { consignes: string | null };
}) => (
  <>
    {note.consignes !== null && (
      <section>
        <h3>{t.shift.consignesTitle}</h3>
        <p className="lb-text" data-testid="handover-consignes">
          {note.consignes === '' ? '—' : note.consignes}
        </p>
      </section>
    )}
    <section>
      <h3>
        {t.shift.openOperations} ({note.openOperations.length})
      </h3>
      {note.openOperations.length === 0 ? (
        <p className="lb-muted">{t.shift.none2}</p>
      ) : (
        <ul data-testid="handover-operations">
          {note.openOperations.map((o) => (
            <li key={o.id}>
              {o.title} — {o.commune}
            </li>
          ))}
        </ul>
      )}
    </section>
    <section>
      <h3>
        {t.shift.pendingCallbacks} ({note.pendingCallbacks.length})
      </h3>
      <HandoverCallbacks client={client} items={note.pendingCallbacks} />
    </section>
  </>
);

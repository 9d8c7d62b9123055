import { useEffect, useState, type FormEvent } from 'react';
import { OPERATION_TYPES, type Commune, type Operation, type VigieClient } from '../../../electron/contract/index.js';
import { CloseOperation } from './CloseOperation.js';
import { logbookStrings as t } from './strings.js';

/** Open operations, creating and closing one, and a shortcut to its chronology (the list filtered on it). */
export const Operations = ({
  client,
  operations,
  onChronology,
  mayClose,
}: {
  client: VigieClient;
  operations: Operation[];
  onChronology: (operationId: string) => void;
  /** The signed-in role may close an operation (chef de salle): others do not see the button. */
  mayClose: boolean;
}) => {
  const [closing, setClosing] = useState<Operation | null>(null);
  const [communes, setCommunes] = useState<Commune[]>([]);
  const [title, setTitle] = useState('');
  const [type, setType] = useState<string>(OPERATION_TYPES[0]);
  const [communeId, setCommuneId] = useState('noumea');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void client.call('operation.communes', {}).then((r) => {
      if (r.ok) setCommunes(r.value);
    });
  }, [client]);
  const create = (e: FormEvent) => {
    e.preventDefault();
    void client.call('operation.create', { title, type, communeId }).then((r) => {
      if (!r.ok) return setError(r.error.message);
      setError(null);
      setTitle('');
    });
  };
  const open = operations.filter((o) => o.status === 'ouverte');
  return (
    <details className="lb-operations" data-testid="logbook-operations">
      <summary>
        {t.operations.title} ({open.length})
      </summary>
      {open.length === 0 && <p className="lb-muted">{t.operations.none}</p>}
      <ul>
        {open.map((o) => (
          <li key={o.operationId}>
            {o.title} — {o.type} — {o.commune} ({o.province}){' '}
            <button type="button" onClick={() => onChronology(o.operationId)}>
              {t.operations.chronology}
            </button>{' '}
            {mayClose ? (
              <button type="button" onClick={() => setClosing(o)} data-testid="operation-close-open">
                {t.operations.close}
              </button>
            ) : (
              <span className="lb-muted">({t.operations.closeReserved})</span>
            )}
          </li>
        ))}
      </ul>
      <form onSubmit={create} className="lb-inline-form" aria-label={t.operations.create}>
        <label>
          {t.operations.name}
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={120} required />
        </label>
        <label>
          {t.operations.type}
          <select value={type} onChange={(e) => setType(e.target.value)}>
            {OPERATION_TYPES.map((x) => (
              <option key={x}>{x}</option>
            ))}
          </select>
        </label>
        <label>
          {t.operations.commune}
          <select value={communeId} onChange={(e) => setCommuneId(e.target.value)}>
            {communes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.province})
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t.operations.submit}</button>
      </form>
      {error !== null && (
        <p role="alert" className="lb-error">
          {error}
        </p>
      )}
      {closing !== null && <CloseOperation client={client} operation={closing} onDone={() => setClosing(null)} />}
    </details>
  );
};

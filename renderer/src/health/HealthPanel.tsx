import { useEffect, useState } from 'react';
import type { VigieClient } from '../../../electron/contract/index.js';
import { HealthBanner } from './HealthBanner.js';
import { ManualCallForm } from './ManualCallForm.js';
import { useHealth } from './useHealth.js';
import './health.css';

/**
 * Degraded mode on screen: the banner (Alt+A acknowledges it) and the manual call form (Alt+M opens it, at any
 * time: a call taken on a backup phone outside an outage is recorded too).
 */
export const HealthPanel = ({ client, connected }: { client: VigieClient; connected: boolean }) => {
  const { health, error, acknowledge } = useHealth(client, connected);
  const [formOpen, setFormOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const pending = health !== null && health.phase === 'degraded' && health.acknowledged === null;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // e.key, not e.code: on an AZERTY keyboard the key labelled A is not the physical KeyA.
      const alt = e.altKey && !e.ctrlKey && !e.metaKey;
      if (alt && e.key.toLowerCase() === 'm') setFormOpen(true);
      else if (alt && e.key.toLowerCase() === 'a' && pending) acknowledge();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pending, acknowledge]);

  return (
    <>
      {health !== null && <HealthBanner health={health} onAcknowledge={acknowledge} />}
      {[error, notice].map(
        (message) =>
          message !== null && (
            <div className="health-notice" role="status" key={message} data-testid="health-notice">
              {message}
            </div>
          ),
      )}
      {formOpen && <ManualCallForm client={client} onClose={() => setFormOpen(false)} onSaved={setNotice} />}
    </>
  );
};

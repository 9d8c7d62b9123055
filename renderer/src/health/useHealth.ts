import { useCallback, useEffect, useState } from 'react';
import type { HealthView, VigieClient } from '../../../electron/contract/index.js';

/** The core's health view: loaded on (re)connection, then kept by the pushed `health` events. */
export const useHealth = (client: VigieClient, connected: boolean) => {
  const [health, setHealth] = useState<HealthView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    if (connected)
      void client.call('health.get', {}).then((result) => {
        if (!live) return;
        if (result.ok) setHealth(result.value);
        else setError(result.error.message);
      });
    const off = client.onEvent((event) => {
      if (event.type === 'health') setHealth(event.health);
    });
    return () => {
      live = false;
      off();
    };
  }, [client, connected]);

  const acknowledge = useCallback(
    () =>
      void client.call('health.acknowledge', {}).then((result) => {
        if (result.ok) {
          setHealth(result.value);
          setError(null);
        } else setError(result.error.message);
      }),
    [client],
  );

  return { health, error, acknowledge };
};

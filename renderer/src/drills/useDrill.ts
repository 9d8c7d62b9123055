import { useEffect, useState } from 'react';
import type { Drill, VigieClient } from '../../../electron/contract/index.js';

/** The drill running at this position: loaded on (re)connection, then pushed by the core on every mark. */
export const useDrill = (client: VigieClient, connected: boolean): Drill | null => {
  const [drill, setDrill] = useState<Drill | null>(null);
  useEffect(() => {
    let live = true;
    if (connected)
      void client.call('drills.current', {}).then((result) => {
        if (live && result.ok) setDrill(result.value);
      });
    const off = client.onEvent((event) => {
      if (event.type === 'drill') setDrill(event.drill);
    });
    return () => {
      live = false;
      off();
    };
  }, [client, connected]);
  return drill;
};

import { useEffect, useState } from 'react';
import type { QueueSnapshot } from '../../../electron/contract/calls.js';
import type { VigieClient } from '../../../electron/contract/index.js';

const empty: QueueSnapshot = { ringing: [], mine: [] };

/** The live queue: fetched once, then kept up to date by the core's `calls.queue` events. */
export const useCallQueue = (client: VigieClient, connected: boolean): QueueSnapshot => {
  const [queue, setQueue] = useState<QueueSnapshot>(empty);
  useEffect(() => {
    let live = true;
    if (connected) {
      void client.call('calls.queue', {}).then((result) => {
        if (live && result.ok) setQueue(result.value);
      });
    }
    const off = client.onEvent((event) => {
      if (event.type === 'calls.queue') setQueue(event.queue);
    });
    return () => {
      live = false;
      off();
    };
  }, [client, connected]);
  return queue;
};

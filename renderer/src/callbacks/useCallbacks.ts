import { useCallback, useEffect, useState } from 'react';
import type { CallbackRecord, CallsOptions } from '../../../electron/contract/calls.js';
import type { VigieClient } from '../../../electron/contract/index.js';

/**
 * Pending callbacks, the priority of the line each abandoned call came in on (from the call log), and the
 * outcomes offered; refreshed when the core says callbacks changed.
 */
export const useCallbacks = (client: VigieClient, connected: boolean) => {
  const [pending, setPending] = useState<CallbackRecord[]>([]);
  const [priorities, setPriorities] = useState<Record<string, number>>({});
  const [options, setOptions] = useState<CallsOptions | null>(null);

  const load = useCallback(() => {
    void client.call('callbacks.list', { status: 'pending' }).then((r) => {
      if (r.ok) setPending(r.value);
    });
    void client.call('calls.list', { limit: 1000 }).then((r) => {
      if (!r.ok) return;
      const map: Record<string, number> = {};
      for (const call of r.value) map[call.id] = call.line.priority;
      setPriorities(map);
    });
  }, [client]);

  useEffect(() => {
    if (!connected) return;
    load();
    void client.call('calls.options', {}).then((r) => {
      if (r.ok) setOptions(r.value);
    });
    return client.onEvent((event) => {
      if (event.type === 'callbacks.changed') load();
    });
  }, [client, connected, load]);

  return { pending, priorities, options, reload: load };
};

import { moduleSchemas } from '../../electron/core/modules.js';
import { openStore } from '../../electron/core/store/index.js';

/**
 * Abandoned calls written into a data directory before the console starts, as the calls module writes
 * them (call.offered then call.ended « abandoned »): each leaves a pending callback, without a SIP lab.
 */
export const seedAbandonedCalls = (
  dataDir: string,
  calls: readonly { id: string; number: string; name: string | null; at: number }[],
): void => {
  const store = openStore({ dataDir, modules: moduleSchemas(), backup: false });
  try {
    for (const c of calls) {
      store.append(
        'call.offered',
        {
          callId: c.id,
          sipCallId: `sip-${c.id}`,
          direction: 'in',
          line: { number: '18', label: 'Pompiers 18', priority: 1, configured: true },
          caller: { number: c.number, name: c.name },
          at: c.at - 20_000,
        },
        'vigie',
      );
      store.append('call.ended', { callId: c.id, cause: 'abandoned', at: c.at }, 'vigie');
    }
  } finally {
    store.close();
  }
};

/**
 * The status bar's answer (status.get and the `status` pushes): what the kernel knows (version, clock,
 * database) joined with what each module reports (telephony, network).
 */
import type { Status } from '../../contract/index.js';
import { formatNoumea, ZONE } from '../clock.js';
import type { Store } from '../store/types.js';
import { appVersion } from '../version.js';
import type { StatusPart } from './module.js';

export const databaseStatus = (store: Store): Status['database'] => {
  const integrity = store.integrity();
  const events = store.count();
  if (integrity.state === 'error') return { state: 'error', detail: integrity.message, events };
  const checking = integrity.state === 'checking' ? ' — contrôle d’intégrité en cours' : '';
  return { state: 'ok', detail: `Journal local ${store.path}${checking}`, events };
};

export const composeStatus = (
  base: { dataDir: string; positionName: string; store: Store; now: number },
  parts: readonly (() => StatusPart)[],
): Status => {
  const status: Status = {
    version: appVersion(),
    dataDir: base.dataDir,
    nodeId: base.store.origin,
    positionName: base.positionName,
    clock: { iso: new Date(base.now).toISOString(), zone: ZONE, local: formatNoumea(base.now) },
    telephony: { state: 'disabled', detail: 'Téléphonie non configurée' },
    network: { state: 'local', detail: 'Poste autonome (pas de serveur central configuré)' },
    database: databaseStatus(base.store),
  };
  for (const part of parts) Object.assign(status, part());
  return status;
};

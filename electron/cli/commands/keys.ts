import { moduleSchemas } from '../../core/modules.js';
import { openStore } from '../../core/store/index.js';
import { acquireDataDirLock } from '../../core/store/lock.js';
import { positionKeyPath } from '../../core/trust/keys.js';
import { createTrustService } from '../../core/trust/service.js';
import { formatFingerprint } from '../../core/trust/signatures.js';
import { existingDataDir, parseFlags, required, UsageError } from '../args.js';

/**
 * `vigie keys show|init|rotate --data DIR` (console stopped: takes the directory's lock). `init` creates
 * and registers the position key at provisioning; `rotate` registers a new key by an event signed with the
 * old one, then signs a checkpoint with the new one.
 */
export const run = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parseFlags(argv, { data: { type: 'string' } });
  const action = positionals[0];
  if (action !== 'show' && action !== 'init' && action !== 'rotate') throw new UsageError('show, init ou rotate');
  const dataDir = action === 'init' ? required(values.data, 'data') : existingDataDir(values.data);
  const lock = acquireDataDirLock(dataDir, `vigie keys ${action}`);
  try {
    const store = openStore({ dataDir, modules: moduleSchemas(), backup: false });
    try {
      const trust = createTrustService(store, positionKeyPath(dataDir));
      if (action === 'rotate') {
        const { previous, current, checkpoint } = trust.rotate();
        process.stdout.write(
          `clé retirée ${previous.keyId}\nclé en vigueur ${current.keyId}\nempreinte ${formatFingerprint(current.publicKey)}\n` +
            `point de contrôle seq ${checkpoint.payload.seq} signé par la nouvelle clé (événement seq ${checkpoint.seq})\n`,
        );
      } else {
        const key = trust.ensureKey();
        process.stdout.write(`clé ${key.keyId}\nempreinte ${formatFingerprint(key.publicKey)}\nfichier ${key.file}\n`);
      }
      return 0;
    } finally {
      store.close();
    }
  } finally {
    lock.release();
  }
};

/**
 * The trust module (docs/architecture.md, rule 2, "Keyed integrity"): the position's Ed25519 key, registered
 * in the log at its first start; signed checkpoints at every shift close (reactor), every N minutes when
 * something was written (service), and at every export (the `trust` port, asked by the logbook's export);
 * an RFC 3161 time-stamp of each checkpoint when vigie.json names an authority. Other positions' trust
 * events are verified before they are applied (checks.ts); their checkpoints are countersigned, and a
 * position that shows different histories raises « ÉQUIVOQUE » in the status bar (witness.ts).
 */
import type { CoreModule, ModuleContext } from '../kernel/module.js';
import type { StoredEvent } from '../store/types.js';
import { checkedTrustEventTypes } from './checks.js';
import {
  CHECKPOINT,
  COUNTERSIGNED,
  TIMESTAMPED,
  TRUST_AUTHOR,
  type CheckpointPayload,
  type CheckpointReason,
} from './events.js';
import { positionKeyPath } from './keys.js';
import { positionLabel } from './labels.js';
import { migrations } from './migrations/index.js';
import { trustProjection } from './projection.js';
import { witnessProjection } from './witness-projection.js';
import { createTrustService, type TrustService } from './service.js';
import { checkpointStatement } from './signatures.js';
import { requestTimestamp } from './tsa.js';
import { createWitness, equivocationAlarm } from './witness.js';

export interface TrustPort {
  checkpoint(reason: CheckpointReason, options?: { merkle?: boolean }): StoredEvent<CheckpointPayload>;
  /** The current key's fingerprint, as printed on the exports. */
  fingerprint(): string;
}

declare module '../kernel/module.js' {
  interface Ports {
    trust: TrustPort;
  }
}

/** Time-stamps a checkpoint when an authority is configured; failures are logged, never fatal. */
const stamper =
  (ctx: ModuleContext) =>
  (checkpoint: StoredEvent<CheckpointPayload>): void => {
    const url = ctx.config.trust.tsaUrl;
    if (url === undefined) return;
    requestTimestamp(url, checkpointStatement(checkpoint.payload)).then(
      (response) => {
        ctx.store.append(
          TIMESTAMPED,
          { checkpointId: checkpoint.id, authority: url, response: response.toString('base64') },
          TRUST_AUTHOR,
        );
      },
      (error: unknown) =>
        ctx.log('warn', `horodatage du point de contrôle ${checkpoint.id} impossible : ${String(error)}`),
    );
  };

export const trustModule: CoreModule = {
  name: 'trust',
  eventTypes: checkedTrustEventTypes,
  projections: [trustProjection, witnessProjection],
  migrations,
  setup(ctx) {
    const trust: TrustService = createTrustService(ctx.store, positionKeyPath(ctx.options.dataDir), ctx.now);
    const stamp = stamper(ctx);
    const checkpoint = (reason: CheckpointReason, options?: { merkle?: boolean }): StoredEvent<CheckpointPayload> => {
      const written = trust.checkpoint(reason, options);
      stamp(written);
      return written;
    };
    const witness = createWitness({
      store: ctx.store,
      key: () => {
        try {
          return trust.ensureKey();
        } catch {
          // The service logged why at start (a key file that is not the one in force): nothing to sign with.
          return undefined;
        }
      },
      now: ctx.now,
      log: ctx.log,
      changed: ctx.statusChanged,
    });
    let timer: NodeJS.Timeout | undefined;
    const periodic = (): void => {
      // The newest event of this origin that is not a time-stamp or a countersignature (both follow what
      // they sign without adding anything of this position's own: a countersignature answered with a
      // checkpoint would make two positions answer each other forever). A checkpoint, or nothing: nothing
      // new to sign.
      const head = ctx.store.db
        .prepare('SELECT type FROM events WHERE origin = ? AND type NOT IN (?, ?) ORDER BY seq DESC LIMIT 1')
        .pluck()
        .get(ctx.store.origin, TIMESTAMPED, COUNTERSIGNED);
      if (head === undefined || head === CHECKPOINT) return;
      try {
        checkpoint('timer');
      } catch (error) {
        ctx.log('error', `point de contrôle périodique non signé : ${String(error)}`);
      }
    };
    return {
      provides: { trust: { checkpoint, fingerprint: trust.fingerprint } },
      status: () => {
        const alarm = equivocationAlarm(witness.equivocations(), (origin) => positionLabel(ctx.store.db, origin));
        return alarm === undefined ? {} : { trust: { state: 'alarm', detail: alarm } };
      },
      services: [
        {
          name: 'points de contrôle signés',
          start() {
            // Witnessing needs no key to find equivocations; countersigning asks for it when it signs.
            witness.start();
            try {
              trust.ensureKey();
            } catch (error) {
              ctx.log('error', String(error instanceof Error ? error.message : error));
              return;
            }
            timer = setInterval(periodic, ctx.config.trust.checkpointMinutes * 60_000);
            timer.unref();
          },
          stop() {
            if (timer !== undefined) clearInterval(timer);
            witness.stop();
          },
        },
      ],
      reactors: [
        {
          name: 'point de contrôle à la relève',
          types: ['shift.closed'],
          react(event) {
            if (event.origin === ctx.store.origin) checkpoint('shift');
          },
        },
      ],
    };
  },
};

/**
 * The health module's running part: the monitor fed by the telephony events and the probes, the automatic
 * main courante entries, the banner's acknowledgement and the manual calls. Built by `setup` (index.ts).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { HealthFault, HealthView, ManualCall, NetworkState } from '../../contract/index.js';
import { VigieError } from '../../contract/result.js';
import type { Handlers, ModuleContext, ModuleInstance, Reactor } from '../kernel/module.js';
import type { StoredEvent } from '../store/types.js';
import { HEALTH_EVENTS, TELEPHONY_FACTS, type DegradedPayload, type NominalPayload } from './events.js';
import { createMonitor } from './monitor.js';
import { createProbeLoop, probesFor } from './probe-loop.js';
import { getManualCall, listManualCalls, readView } from './projection.js';
import { lossText, noumeaTime, restoreText, summaryText } from './texts.js';

/** A call time this far ahead of the console's clock is refused; older than a week is a mistyped date. */
const FUTURE_TOLERANCE_MS = 60_000;
const MAX_LATE_MS = 7 * 24 * 3600_000;
const AUTO_CATEGORY = 'technique';

/** What the telephony events carry that matters here; other fields are the telephony module's business. */
const telephonyFact = z.looseObject({
  at: z.number().optional(),
  detail: z.string().optional(),
  registrar: z.string().nullable().optional(),
});

const NETWORK_KINDS = new Set<HealthFault['kind']>(['telephony', 'sip-process', 'host']);

export type AppendLines = (
  lines: readonly string[],
  fields: { author: string; category: string },
) => Promise<{ refused: { index: number; message: string }[] }>;

export const createHealth = (ctx: ModuleContext, appendLines: AppendLines): ModuleInstance => {
  const { store, config } = ctx;
  const operator = ctx.port('operator');

  // The replication module comes later in the list: its port is looked up when used, and may be absent.
  const replication = () => {
    try {
      return ctx.port('replication');
    } catch {
      return undefined;
    }
  };
  const monitor = createMonitor({
    store,
    now: ctx.now,
    // RECOVERING ends once what was written during the outage has reached the central server.
    backlog: () => replication()?.info().backlog ?? 0,
    onTransition: () => ctx.statusChanged(),
    log: ctx.log,
  });

  /**
   * Acknowledgement and counts from the projection; phase and faults from the monitor, which equals the
   * projection whenever the log took every transition, and still tells the truth when it could not.
   */
  const view = (): HealthView => {
    const recorded = readView(store.db, store.origin);
    const state = monitor.state();
    if (state.phase === 'nominal') return { ...recorded, phase: 'nominal', since: null, faults: [], restoredAt: null };
    return {
      ...recorded,
      phase: state.phase,
      since: state.since,
      faults: state.phase === 'degraded' ? [...state.faults] : [],
      restoredAt: state.phase === 'recovering' ? state.restoredAt : null,
    };
  };
  const probes = createProbeLoop(
    probesFor(config.health, store, ctx.options.dataDir, replication),
    monitor,
    config.health,
    ctx.log,
  );

  const own = (event: StoredEvent): boolean => event.origin === store.origin;

  const onTelephony = (event: StoredEvent): void => {
    if (!own(event)) return;
    const parsed = telephonyFact.safeParse(event.payload);
    if (!parsed.success) return;
    const { at = ctx.now(), detail = '', registrar } = parsed.data;
    const where = registrar === null || registrar === undefined ? '' : ` — ${registrar}`;
    switch (event.type) {
      case TELEPHONY_FACTS.lost:
        monitor.fault('telephony', 'telephony', 'Téléphonie IP', `${detail}${where}`, at);
        return;
      case TELEPHONY_FACTS.crashed:
        monitor.fault('sip-process', 'sip-process', 'Processus SIP', detail, at);
        return;
      case TELEPHONY_FACTS.restarted:
        monitor.clear('sip-process', at);
        return;
      case TELEPHONY_FACTS.registered:
      case TELEPHONY_FACTS.disabled:
        // Registered (or no telephony configured any more): neither the registration nor the process is down.
        monitor.clear('sip-process', at);
        monitor.clear('telephony', at);
        return;
    }
  };

  // The payload casts below restate the schemas of events.ts, which the store checked at append.
  const writeEntries = async (event: StoredEvent): Promise<void> => {
    if (!own(event)) return;
    const lines: string[] = [];
    if (event.type === HEALTH_EVENTS.degraded || event.type === HEALTH_EVENTS.recovering) {
      const p = event.payload as Pick<DegradedPayload, 'at' | 'cleared'> & { added?: DegradedPayload['added'] };
      for (const fault of p.added ?? []) lines.push(lossText(fault));
      for (const fault of p.cleared) lines.push(restoreText(fault, p.at));
    } else if (event.type === HEALTH_EVENTS.nominal) {
      lines.push(summaryText(event.payload as NominalPayload));
    }
    if (lines.length === 0) return;
    // During a drill every automatic entry says so (drills module), so that nobody reads a drill as a real outage.
    const drill = (() => {
      try {
        return ctx.port('drill').active();
      } catch {
        return null;
      }
    })();
    const written = drill === null ? lines : lines.map((line) => `EXERCICE — ${line}`);
    // The position signs what it writes by itself (the same checks as `vigie append`, logbook/entries.ts).
    const { refused } = await appendLines(written, { author: config.positionName, category: AUTO_CATEGORY });
    for (const r of refused) ctx.log('error', `inscription automatique refusée : ${r.message}`);
  };

  const forward = (event: StoredEvent): void => {
    // An entry written during an outage changes the banner's counter; outside one it changes nothing here.
    if (event.type === 'logbook.entry' && monitor.state().phase === 'nominal') return;
    if (event.type === HEALTH_EVENTS.manualCall) {
      const call = getManualCall(store.db, (event.payload as { id: string }).id);
      if (call !== undefined) ctx.emit({ type: 'call.manual', call });
    }
    if (own(event)) ctx.emit({ type: 'health', health: view() });
  };

  const acknowledge = (): HealthView => {
    const current = view();
    if (current.phase === 'nominal' || current.since === null)
      throw new VigieError('conflict', 'Aucune coupure en cours : rien à acquitter.');
    if (current.acknowledged !== null) return current;
    store.append(HEALTH_EVENTS.acknowledged, { since: current.since, at: ctx.now(), by: operator() }, operator());
    return view();
  };

  const recordManualCall: NonNullable<Handlers['health.recordManualCall']> = (args): ManualCall => {
    const now = ctx.now();
    const takenAt = args.takenAt === undefined ? now : Date.parse(args.takenAt);
    if (takenAt > now + FUTURE_TOLERANCE_MS)
      throw new VigieError('invalid_argument', 'L’heure de l’appel ne peut pas être postérieure à l’heure actuelle.');
    if (now - takenAt > MAX_LATE_MS)
      throw new VigieError('invalid_argument', 'L’heure de l’appel remonte à plus de 7 jours : vérifiez la date.');
    const state = monitor.state();
    const id = randomUUID();
    store.append(
      HEALTH_EVENTS.manualCall,
      {
        id,
        takenAt,
        line: args.line,
        callerNumber: args.callerNumber,
        nature: args.nature,
        notes: args.notes,
        means: args.means,
        position: config.positionName,
        outageSince: state.phase === 'nominal' ? null : state.since,
        at: now,
      },
      operator(),
    );
    const call = getManualCall(store.db, id);
    if (call === undefined) throw new VigieError('internal', 'Appel manuel enregistré mais introuvable.');
    return call;
  };

  const handlers: Handlers = {
    'health.get': view,
    'health.acknowledge': acknowledge,
    'health.recordManualCall': recordManualCall,
    'health.manualCalls': (args) => listManualCalls(store.db, args.limit),
  };

  const reactors: Reactor[] = [
    { name: 'téléphonie', types: Object.values(TELEPHONY_FACTS), react: onTelephony },
    {
      name: 'main courante',
      types: [HEALTH_EVENTS.degraded, HEALTH_EVENTS.recovering, HEALTH_EVENTS.nominal],
      react: writeEntries,
    },
    { name: 'écran', types: [...Object.values(HEALTH_EVENTS), 'logbook.entry'], react: forward },
  ];

  const network = (): { state: NetworkState; detail: string } => {
    const current = view();
    const down = current.faults.filter((f) => NETWORK_KINDS.has(f.kind));
    if (down.length > 0)
      return {
        state: 'offline',
        detail: down.map((f) => `${f.label} : hors service depuis ${noumeaTime(f.since)}`).join(' ; '),
      };
    if (current.phase === 'recovering' && current.restoredAt !== null)
      return { state: 'online', detail: `Rétablissement en cours depuis ${noumeaTime(current.restoredAt)}` };
    if (config.health.hosts.length > 0)
      return { state: 'online', detail: `Hôtes joignables : ${config.health.hosts.map((h) => h.name).join(', ')}` };
    return { state: 'local', detail: 'Poste autonome (aucun hôte surveillé)' };
  };

  return {
    handlers,
    reactors,
    services: [
      {
        name: 'sondes',
        async start() {
          // The registration may already be lost before the first telephony event reaches the reactor.
          const status = await ctx.request('status.get', {});
          if (status.ok && status.value.telephony.state === 'lost')
            monitor.fault('telephony', 'telephony', 'Téléphonie IP', status.value.telephony.detail);
          probes.start();
        },
        stop: () => probes.stop(),
      },
    ],
    status: () => ({ network: network() }),
  };
};

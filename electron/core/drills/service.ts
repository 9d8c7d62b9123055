/**
 * The drills module's running part: start and stop (roles checked), the fault a simulated drill injects,
 * the reactor that marks the timeline from the log's own events, the main courante entries and the report.
 */
import { randomUUID } from 'node:crypto';
import {
  DRILL_MARK_LABELS,
  DRILL_MODE_LABELS,
  DRILL_SCENARIO_LABELS,
  type Drill,
  type DrillMark,
  type DrillReport,
  type DrillScenario,
} from '../../contract/drills.js';
import { formatSinceT0 } from '../../contract/durations.js';
import { VigieError } from '../../contract/result.js';
import type { ModuleContext, ModuleInstance, Reactor } from '../kernel/module.js';
import type { StoredEvent } from '../store/types.js';
import { noumeaTime } from '../health/texts.js';
import { DRILL_EVENTS } from './events.js';
import { eventTime, MARK_SOURCES, marksOf } from './marks.js';
import { drillPdf } from './pdf.js';
import { currentDrill, getDrill, listDrills } from './projection.js';
import { buildReport } from './report.js';

export type AppendLines = (
  lines: readonly string[],
  fields: { author: string; category: string },
) => Promise<{ refused: { index: number; message: string }[] }>;

/** What a simulated drill cuts, in-process, per scenario; the real network is left alone. */
const SIMULATED_CUTS: Record<DrillScenario, readonly 'sip'[]> = {
  telephony: ['sip'],
  network: ['sip'],
  'media-relay': [],
  central: [],
};

export const reportText = (report: DrillReport): string[] => {
  const { drill } = report;
  const lines = [
    `EXERCICE — fin de l’exercice « ${DRILL_SCENARIO_LABELS[drill.scenario]} » (${drill.mode === 'simulated' ? 'simulé' : 'observé'})`,
  ];
  for (const mark of ['detect', 'ack', 'firstManual', 'restore', 'recovered'] as const satisfies DrillMark[]) {
    const duration = report.durations[mark];
    lines.push(`${DRILL_MARK_LABELS[mark]} : ${duration === null ? 'non atteint' : formatSinceT0(duration)}`);
  }
  lines.push(
    `Pendant l’exercice : ${report.counts.entries} inscription(s), ${report.counts.manualCalls} appel(s) manuel(s), ${report.counts.calls} appel(s) reçu(s)`,
  );
  lines.push(`Intégrité : ${report.integrity.ok ? 'conforme' : 'NON CONFORME'} — ${report.integrity.detail}`);
  return [lines.join('\n')];
};

export const createDrills = (ctx: ModuleContext, appendLines: AppendLines): ModuleInstance => {
  const { store } = ctx;
  /** The drill whose simulated cut is in place (in memory: a restarted core restarts its SIP stack uncut). */
  let cutFor: string | null = null;
  const current = (): Drill | null => {
    const drill = currentDrill(store.db, store.origin);
    return drill === null ? null : { ...drill, cutActive: cutFor === drill.id };
  };
  const push = () => ctx.emit({ type: 'drill', drill: current() });

  const cut = async (drill: Drill, on: boolean): Promise<void> => {
    if (drill.mode !== 'simulated' || (cutFor === drill.id) === on) return;
    for (const what of SIMULATED_CUTS[drill.scenario]) {
      if (what === 'sip') await ctx.port('sipFault').simulateLoss(on);
    }
    cutFor = on ? drill.id : null;
  };

  const write = async (lines: readonly string[]): Promise<void> => {
    const { refused } = await appendLines(lines, { author: ctx.config.positionName, category: 'technique' });
    for (const r of refused) ctx.log('error', `inscription d’exercice refusée : ${r.message}`);
  };

  const report = (id: string): DrillReport => {
    const span = getDrill(store.db, id);
    if (span === undefined) throw new VigieError('not_found', 'Exercice introuvable.');
    return buildReport(store.db, span, ctx.now());
  };

  const marker: Reactor = {
    name: 'drills.marks',
    types: MARK_SOURCES,
    react(event: StoredEvent) {
      if (event.origin !== store.origin) return;
      const drill = current();
      if (drill === null) return;
      const reached = new Set(Object.keys(drill.marks) as DrillMark[]); // keys of Drill['marks'] are marks
      for (const mark of marksOf(event, reached)) {
        store.append(
          DRILL_EVENTS.marked,
          { drillId: drill.id, mark, at: eventTime(event), eventId: event.id },
          ctx.config.positionName,
        );
      }
      push();
    },
  };

  return {
    handlers: {
      'drills.start': async (args) => {
        const session = ctx.port('session').require('startDrill');
        if (current() !== null) throw new VigieError('conflict', 'Un exercice est déjà en cours à ce poste.');
        if (args.mode === 'simulated' && SIMULATED_CUTS[args.scenario].length === 0) {
          throw new VigieError(
            'invalid_argument',
            `« ${DRILL_SCENARIO_LABELS[args.scenario]} » ne peut pas être simulé par la console : choisissez le mode observé (coupure réelle).`,
          );
        }
        if (args.mode === 'simulated') {
          try {
            ctx.port('sipFault');
          } catch {
            throw new VigieError(
              'unavailable',
              'Simulation impossible : la téléphonie IP n’est pas configurée à ce poste. Choisissez le mode observé.',
            );
          }
        }
        const drillId = randomUUID();
        const at = ctx.now();
        store.append(DRILL_EVENTS.started, { drillId, scenario: args.scenario, mode: args.mode, at }, session.userName);
        await write([
          `EXERCICE — début de l’exercice « ${DRILL_SCENARIO_LABELS[args.scenario]} » à ${noumeaTime(at)}, mode ${DRILL_MODE_LABELS[args.mode]}, ordonné par ${session.userName}`,
        ]);
        const drill = current();
        if (drill === null) throw new VigieError('internal', 'Exercice non enregistré.');
        try {
          await cut(drill, true);
        } catch (error) {
          ctx.log(
            'error',
            `exercice : coupure simulée impossible : ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        push();
        return current() ?? drill;
      },
      'drills.restore': async () => {
        ctx.port('session').require('startDrill');
        const drill = current();
        if (drill === null) throw new VigieError('conflict', 'Aucun exercice en cours.');
        if (!drill.cutActive) {
          throw new VigieError(
            'conflict',
            drill.mode === 'observed'
              ? 'Exercice observé : la coupure est réelle, ce sont les techniciens qui rétablissent le service.'
              : 'La coupure simulée est déjà levée.',
          );
        }
        await cut(drill, false);
        await write([`EXERCICE — fin de la coupure simulée à ${noumeaTime(ctx.now())} : le service peut revenir`]);
        push();
        return current() ?? drill;
      },
      'drills.stop': async () => {
        const session = ctx.port('session').require('startDrill');
        const drill = current();
        if (drill === null) throw new VigieError('conflict', 'Aucun exercice en cours.');
        await cut(drill, false).catch((error: unknown) =>
          ctx.log(
            'error',
            `exercice : rétablissement simulé impossible : ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
        store.append(DRILL_EVENTS.ended, { drillId: drill.id, at: ctx.now() }, session.userName);
        const result = report(drill.id);
        await write(reportText(result));
        push();
        return result;
      },
      'drills.current': () => current(),
      'drills.list': (args) => listDrills(store.db, args.limit),
      'drills.report': async (args) => {
        const result = report(args.drillId);
        const pdf = await drillPdf(result, ctx.config.positionName);
        const day = new Date(result.drill.startedAt).toISOString().slice(0, 10);
        return { report: result, filename: `vigie-exercice-${day}.pdf`, pdfBase64: pdf.toString('base64') };
      },
    },
    reactors: [marker],
    provides: { drill: { active: () => current() } },
  };
};

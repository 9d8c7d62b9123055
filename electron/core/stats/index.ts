/**
 * The stats module (docs/architecture.md, "Modules"): call-handling figures over a range of time, read from
 * the calls module's projections. It declares no event and owns no table: figures are always recomputed
 * from the log's projections, so they can never disagree with the call history.
 */
import type { CoreModule } from '../kernel/module.js';
import { figuresCsv } from './csv.js';
import { computeFigures } from './figures.js';
import { callbacksInRange, callsInRange, resolveRange } from './queries.js';

export const statsModule: CoreModule = {
  name: 'stats',
  eventTypes: [],
  projections: [],
  migrations: [],
  setup(ctx) {
    const figures = (args: { from?: string; to?: string }) => {
      const range = resolveRange(args, ctx.now());
      return computeFigures(range, callsInRange(ctx.store.db, range), callbacksInRange(ctx.store.db, range));
    };
    return {
      handlers: {
        'stats.figures': (args) => figures(args),
        'stats.csv': (args) => {
          const result = figures(args);
          const day = new Date(result.from).toISOString().slice(0, 10);
          return { filename: `vigie-chiffres-${day}.csv`, csv: figuresCsv(result) };
        },
      },
    };
  },
};

/**
 * Call-handling figures (docs/architecture.md, "Modules"): the supervisor view, the handover and drill
 * reports ask the stats module for one range of time. Definitions are in electron/core/stats/figures.ts.
 */
import { z } from 'zod';

/** Longest range one request may cover: a year of calls is still a small scan of the calls table. */
export const MAX_STATS_RANGE_MS = 366 * 24 * 3600 * 1000;

export const statsRangeSchema = z
  .object({
    /** ISO 8601 instants; default: the last 12 hours (one shift) up to now. */
    from: z.iso.datetime({ offset: true, message: 'début de période invalide (ISO 8601)' }).optional(),
    to: z.iso.datetime({ offset: true, message: 'fin de période invalide (ISO 8601)' }).optional(),
  })
  .strict();

export const statsRequests = {
  'stats.figures': statsRangeSchema,
  /** The same figures as CSV (UTF-8, `;` separated as French spreadsheets expect). */
  'stats.csv': statsRangeSchema,
};

export interface StatsGroupRow {
  key: string;
  presented: number;
  answered: number;
  abandoned: number;
  medianAnswerMs: number | null;
}

export interface StatsFigures {
  /** ms since epoch. */
  from: number;
  to: number;
  presented: number;
  answered: number;
  abandoned: number;
  /** Share of presented calls, one decimal; null when none was presented. */
  abandonPercent: number | null;
  outgoing: number;
  answerMs: { median: number | null; p90: number | null; p95: number | null };
  /** Answered within N seconds, as a share of the presented calls (NFPA 1225, NENA-STA-020). */
  within: { seconds: number; count: number; percent: number | null }[];
  /** Answer-time buckets (fromSeconds, toSeconds]; the last one has no upper bound. */
  distribution: { fromSeconds: number; toSeconds: number | null; count: number }[];
  callbacks: {
    created: number;
    called: number;
    pending: number;
    medianDelayMs: number | null;
    maxDelayMs: number | null;
  };
  byLine: StatsGroupRow[];
  /** Local hour (Pacific/Noumea) "00"–"23". */
  byHour: StatsGroupRow[];
  byOperator: StatsGroupRow[];
}

export interface StatsResults {
  'stats.figures': StatsFigures;
  'stats.csv': { filename: string; csv: string };
}

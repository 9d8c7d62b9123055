import { z } from 'zod';
import type { LogbookEntry } from './logbook.js';

export interface Commune {
  id: string;
  name: string;
  province: 'Sud' | 'Nord' | 'Îles Loyauté';
}

export type OperationStatus = 'ouverte' | 'close';

export interface Operation {
  operationId: string;
  title: string;
  type: string;
  communeId: string;
  commune: string;
  province: string;
  status: OperationStatus;
  createdBy: string;
  createdAt: string;
  closedBy: string | null;
  closedAt: string | null;
}

/** A call linked to an operation, as far as the calls module's tables tell (empty without them). */
export interface LinkedCall {
  callId: string;
  at: string | null;
  summary: string;
}

export const OPERATION_TYPES = [
  'cyclone',
  'feu de brousse',
  'inondation',
  'accident',
  'secours à personne',
  'séisme / tsunami',
  'pollution',
  'autre',
] as const;

const idSchema = z.string().min(1).max(64);

export const operationRequests = {
  'operation.create': z
    .object({
      title: z.string().trim().min(1).max(120),
      type: z.string().trim().min(1).max(40),
      communeId: z.string().min(1).max(40),
    })
    .strict(),
  'operation.list': z.object({ status: z.enum(['ouverte', 'close', 'toutes']).optional() }).strict(),
  'operation.close': z.object({ operationId: idSchema, summary: z.string().max(2000).optional() }).strict(),
  'operation.chronology': z.object({ operationId: idSchema }).strict(),
  'operation.communes': z.object({}).strict(),
  /** Counts shown before closing: entries and calls linked, duration. */
  'operation.summary': z.object({ operationId: idSchema }).strict(),
};

export interface OperationSummary {
  operation: Operation;
  /** Entries of the main courante linked to it (its opening included). */
  entries: number;
  /** Calls linked to it (calls.link, or a wrap-up). */
  calls: number;
  /** From its opening to now (or to its close), in ms. */
  durationMs: number;
}

export interface OperationResults {
  'operation.create': Operation;
  'operation.list': Operation[];
  'operation.close': Operation;
  'operation.chronology': { operation: Operation; entries: LogbookEntry[]; calls: LinkedCall[] };
  'operation.communes': Commune[];
  'operation.summary': OperationSummary;
}

export type OperationEvent = { type: 'operation'; operation: Operation };

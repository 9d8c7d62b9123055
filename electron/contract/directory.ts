/**
 * The operational directory (annuaire opérationnel) part of the API contract: partner services with their
 * numbers and notes, searched as the operator types, with speed-dial keys (Alt+1…Alt+9), and CSV import and
 * export. Every argument is bounded; a CSV import is all or nothing.
 */
import { z } from 'zod';
import { dialTargetSchema } from './calls.js';

export const DIRECTORY_CATEGORIES = [
  'sdis',
  'gendarmerie',
  'police',
  'samu',
  'meteo',
  'mairie',
  'province',
  'etat',
  'reseaux',
  'autre',
] as const;
export type DirectoryCategory = (typeof DIRECTORY_CATEGORIES)[number];

/** French labels, shown on screen and written in the CSV export (the import accepts code or label). */
export const DIRECTORY_CATEGORY_LABELS: Record<DirectoryCategory, string> = {
  sdis: 'SDIS / pompiers',
  gendarmerie: 'Gendarmerie',
  police: 'Police',
  samu: 'SAMU / santé',
  meteo: 'Météo',
  mairie: 'Mairie',
  province: 'Province',
  etat: 'État / haut-commissariat',
  reseaux: 'Réseaux (eau, électricité, télécoms)',
  autre: 'Autre',
};

/** Speed-dial keys: Alt+1 … Alt+9 on the screen. */
export const SPEED_DIAL_MIN = 1;
export const SPEED_DIAL_MAX = 9;
export const speedDialSchema = z
  .number()
  .int()
  .min(SPEED_DIAL_MIN, 'touche d’appel rapide de 1 à 9')
  .max(SPEED_DIAL_MAX, 'touche d’appel rapide de 1 à 9');

/** Largest CSV accepted by an import (characters); a bigger directory is split by the technician. */
export const MAX_DIRECTORY_CSV_CHARS = 200_000;
/** Rows of one import at most (header excluded). */
export const MAX_DIRECTORY_ROWS = 2000;

export const directoryEntryFields = z
  .object({
    name: z.string().trim().min(1, 'nom obligatoire').max(120, 'nom : 120 caractères au plus'),
    category: z.enum(DIRECTORY_CATEGORIES, { message: 'service inconnu' }),
    number: dialTargetSchema,
    notes: z.string().trim().max(1000, 'notes : 1000 caractères au plus').default(''),
    speedDial: speedDialSchema.nullable().default(null),
  })
  .strict();

const entryId = z.uuid({ message: 'identifiant d’annuaire invalide' });

export const directoryRequests = {
  /** Search as you type: name, service, notes or number; empty query = every entry, by name. */
  'directory.search': z
    .object({
      query: z.string().max(100).default(''),
      limit: z.number().int().min(1).max(500).default(50),
    })
    .strict(),
  /** Creates an entry (no id) or replaces the one with this id. */
  'directory.save': directoryEntryFields.extend({ id: entryId.optional() }).strict(),
  'directory.remove': z.object({ id: entryId }).strict(),
  /** CSV (RFC 4180, `;` or `,`), header `nom;service;numero;touche;notes`. */
  'directory.import': z
    .object({
      csv: z
        .string()
        .min(1, 'fichier vide')
        .max(MAX_DIRECTORY_CSV_CHARS, 'fichier trop gros (200 000 caractères au plus)'),
    })
    .strict(),
  'directory.export': z.object({}).strict(),
};

export interface DirectoryEntry {
  id: string;
  name: string;
  category: DirectoryCategory;
  number: string;
  notes: string;
  speedDial: number | null;
  /** ms since epoch, and who wrote the last version. */
  updatedAt: number;
  updatedBy: string;
}

export interface DirectoryImportResult {
  created: number;
  updated: number;
}

export interface DirectoryResults {
  'directory.search': DirectoryEntry[];
  'directory.save': DirectoryEntry;
  'directory.remove': { id: string };
  'directory.import': DirectoryImportResult;
  'directory.export': { csv: string; count: number };
}

/** Pushed after any change (this position or another): the screen searches again. */
export type DirectoryEvent = { type: 'directory.changed' };

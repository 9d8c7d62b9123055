import { z } from 'zod';
import { logbookTextSchema } from '../../contract/logbook.js';

export const LOGBOOK_ENTRY = 'logbook.entry';

/**
 * Payload of a main courante entry. A loose object (zod `looseObject`): fields added by later versions
 * (operation, linked call, …) are kept, hashed and replicated by this version instead of being stripped,
 * so that an event written by a newer position stays intact here. New fields must be optional.
 */
export const logbookEntryPayload = z.looseObject({
  /** The entry as written by the operator; surrounding blanks removed, never normalised otherwise. */
  text: logbookTextSchema.trim().min(1, "le texte de l'inscription est vide"),
  /** Short code chosen by the operator (e.g. 'information', 'appel', 'intervention'). */
  category: z.string().trim().min(1).max(64),
  /** A correction (rectificatif) names the entry it corrects; the original is never changed. */
  correctsId: z.uuid().optional(),
});
export type LogbookEntryPayload = z.infer<typeof logbookEntryPayload>;

export const DEFAULT_CATEGORY = 'information';

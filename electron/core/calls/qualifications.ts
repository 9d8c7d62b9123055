/**
 * Call qualifications and callback outcomes: configurable lists (codes are stable, labels are French
 * and shown as is). The chosen label is copied into the event so the log reads the same after the
 * list is changed.
 */
import { z } from 'zod';
import { codeSchema as code } from '../../contract/calls.js';
import { VigieError } from '../../contract/result.js';

export const qualificationSchema = z.object({ code, label: z.string().min(1).max(80) });
export type Qualification = z.infer<typeof qualificationSchema>;

export const callbackOutcomeSchema = z.object({
  code,
  label: z.string().min(1).max(80),
  /** Whether this outcome settles the callback (joint, faux numéro) or leaves it to do (injoignable). */
  closes: z.boolean(),
});
export type CallbackOutcome = z.infer<typeof callbackOutcomeSchema>;

export const defaultQualifications: readonly Qualification[] = [
  { code: 'urgence', label: 'Urgence' },
  { code: 'renseignement', label: 'Renseignement' },
  { code: 'erreur', label: 'Erreur de numéro' },
  { code: 'malveillant', label: 'Appel malveillant' },
  { code: 'test', label: 'Test' },
  { code: 'autre', label: 'Autre' },
];

export const defaultCallbackOutcomes: readonly CallbackOutcome[] = [
  { code: 'joint', label: 'Rappelé — joint', closes: true },
  { code: 'injoignable', label: 'Rappelé — injoignable', closes: false },
  { code: 'messagerie', label: 'Rappelé — message laissé', closes: true },
  { code: 'faux_numero', label: 'Faux numéro', closes: true },
  { code: 'numero_masque', label: 'Numéro masqué — rappel impossible', closes: true },
];

const uniqueCodes = <T extends { code: string }>(list: readonly T[]): boolean =>
  new Set(list.map((q) => q.code)).size === list.length;

export const qualificationListSchema = z
  .array(qualificationSchema)
  .min(1)
  .max(100)
  .refine(uniqueCodes, 'codes de qualification en double');
export const callbackOutcomeListSchema = z
  .array(callbackOutcomeSchema)
  .min(1)
  .max(100)
  .refine(uniqueCodes, 'codes de résultat de rappel en double');

export const findQualification = (list: readonly Qualification[], wanted: string): Qualification => {
  const q = list.find((x) => x.code === wanted);
  if (q === undefined) throw new VigieError('invalid_argument', `Qualification inconnue : « ${wanted} ».`);
  return q;
};

export const findCallbackOutcome = (list: readonly CallbackOutcome[], wanted: string): CallbackOutcome => {
  const o = list.find((x) => x.code === wanted);
  if (o === undefined) throw new VigieError('invalid_argument', `Résultat de rappel inconnu : « ${wanted} ».`);
  return o;
};

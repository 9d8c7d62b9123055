import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { healthConfigSchema } from './health/config.js';
import { centralConfigSchema } from './replication/config.js';
import { telephonyConfigSchema } from './telephony/config.js';
import { voiceConfigSchema } from '../contract/voice.js';
import { trustConfigSchema } from './trust/config.js';

/** Printed at the top of every export page unless vigie.json names another directorate. */
export const DEFAULT_DIRECTORATE = 'Direction de la sécurité civile et de la gestion des risques';

/** `<data>/vigie.json`: everything a technician may set for a position. Unknown keys are refused. */
export const fileConfigSchema = z
  .object({
    positionName: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .regex(/^[\p{L}\p{N} ._-]+$/u, 'lettres, chiffres, espace, point, tiret')
      .default('POSTE-1'),
    directorate: z.string().trim().min(1).max(160).default(DEFAULT_DIRECTORATE),
    backup: z
      .object({
        intervalMinutes: z.number().int().min(1).max(1440).default(15),
        keep: z.number().int().min(1).max(1000).default(48),
      })
      .strict()
      .default({ intervalMinutes: 15, keep: 48 }),
    /**
     * Sign-in of an opérateur needs a PIN too (chef de salle and technicien always need one). Default
     * false: an opérateur answers calls at a console in a locked room (logbook README "Sign-in").
     */
    operatorPinRequired: z.boolean().default(false),
    /**
     * Origins (https://host[:port]) whose links the desktop shell may open in the system browser, e.g.
     * the directorate's documentation site. Empty: no link leaves the console.
     */
    externalLinks: z
      .array(z.string().regex(/^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'origine https://hôte[:port] attendue'))
      .max(20)
      .default([]),
    /** Call handling rules of this position (electron/core/calls/index.ts). */
    calls: z
      .object({
        /**
         * A call is answered by a signed-in person only, so that the call log names who took it, not the
         * position (issue 10 item 9). false: a console without a roster (a lab, a demonstration).
         */
        answerRequiresSignIn: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    /** SIP account, registrars, lines (electron/core/telephony/config.ts). Absent: no telephony on this position. */
    telephony: telephonyConfigSchema.optional(),
    /** Probes, disk threshold and watched hosts of the degraded mode (electron/core/health/config.ts). */
    health: healthConfigSchema.prefault({}),
    /** Central PostgreSQL servers, primary first (electron/core/replication/config.ts). Absent: this position works alone. */
    central: centralConfigSchema.optional(),
    /** Ring escalation and audio watchdog thresholds (electron/contract/voice.ts). */
    voice: voiceConfigSchema.prefault({}),
    /** Signed checkpoints every N minutes, RFC 3161 authority (electron/core/trust/config.ts). */
    trust: trustConfigSchema.prefault({}),
  })
  .strict();

export type FileConfig = z.output<typeof fileConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const configPath = (dataDir: string): string => join(dataDir, 'vigie.json');

/** Describe zod issues in French, one per line, naming the field. */
export const describeIssues = (error: z.ZodError): string[] =>
  error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(racine)'} : ${issue.message}`);

/** Reads the position's configuration; a missing file means defaults, a wrong one is an error. */
export const loadFileConfig = (dataDir: string): FileConfig => {
  const file = configPath(dataDir);
  if (!existsSync(file)) return fileConfigSchema.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(
      `Configuration illisible (${file}) : ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const parsed = fileConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`Configuration invalide (${file}) :\n  ${describeIssues(parsed.error).join('\n  ')}`);
  }
  return parsed.data;
};

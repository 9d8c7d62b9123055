/**
 * The `health` key of `<data>/vigie.json`: how often the probes run, the disk threshold, and the hosts
 * whose reachability the « Réseau » tile reports. Every field has a default: a position without the key
 * watches its telephony, its database and its disk.
 */
import { z } from 'zod';

export const healthHostSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .regex(/^[\p{L}\p{N} ._-]+$/u, 'lettres, chiffres, espace, point, tiret'),
    host: z.string().trim().min(1).max(253),
    port: z.number().int().min(1).max(65535),
  })
  .strict();

export const healthConfigSchema = z
  .object({
    /** Interval between two rounds of probes. */
    probeIntervalMs: z.number().int().min(200).max(600_000).default(5_000),
    /** A TCP connect that has not succeeded after this is a failure. */
    connectTimeoutMs: z.number().int().min(100).max(60_000).default(2_000),
    /** Consecutive failed rounds before a probe reports a fault (a single lost SYN is no outage). */
    failuresBeforeFault: z.number().int().min(1).max(10).default(2),
    /** Free space under this, on the database's file system, is a fault (MiB). */
    minFreeDiskMiB: z.number().int().min(1).max(1_000_000).default(500),
    hosts: z.array(healthHostSchema).max(20).default([]),
    /** A replication lag above this (ms) is a fault of the central database check. */
    maxCentralLagMs: z.number().int().min(1_000).max(3_600_000).default(60_000),
  })
  .strict();

export type HealthConfig = z.output<typeof healthConfigSchema>;
export type HealthConfigInput = z.input<typeof healthConfigSchema>;

export const DEFAULT_HEALTH_CONFIG: HealthConfig = healthConfigSchema.parse({});

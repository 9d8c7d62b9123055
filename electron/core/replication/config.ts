import { z } from 'zod';

/**
 * `central` in `<data>/vigie.json` (docs/architecture.md, "Replication"): the central PostgreSQL servers,
 * the primary first, then its standbys. TLS is asked for in the URL (`sslmode=verify-full` and
 * `sslrootcert=…`, see the README). The password is best kept out of vigie.json, in `passwordFile`.
 */
const centralUrl = z
  .string()
  .max(2000)
  .refine((text) => {
    try {
      const url = new URL(text);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'URL postgres://utilisateur@hôte:port/base attendue');

export const centralConfigSchema = z
  .object({
    urls: z.array(centralUrl).min(1).max(8),
    /** A file holding the position role's password (one line), read at each connection. */
    passwordFile: z.string().min(1).max(1000).optional(),
    /** Events per INSERT. */
    batchSize: z.number().int().min(1).max(10_000).default(1000),
    /**
     * Events per read, each page applied in one local transaction. Larger than a push batch: a page that
     * sorts before what is already projected replays the projections (docs/architecture.md, "Conflicts by
     * construction"), so after an outage fewer, larger pages cost less; a page of 5 000 still commits in
     * well under a second, the longest the core is held.
     */
    pullBatchSize: z.number().int().min(1).max(50_000).default(5000),
    /** Read the server at least this often (a notification wakes the reader sooner). */
    pollMs: z.number().int().min(50).max(60_000).default(1000),
    connectTimeoutMs: z.number().int().min(100).max(60_000).default(3000),
    /** Back-off after a failure: doubles from the first value up to the second. */
    retryMs: z
      .tuple([z.number().int().min(10).max(60_000), z.number().int().min(10).max(600_000)])
      .default([250, 15_000]),
  })
  .strict();

export type CentralConfig = z.output<typeof centralConfigSchema>;

/** host:port of a URL, for the status bar (a URL may carry a password). */
export const serverLabel = (text: string): string => {
  try {
    const url = new URL(text);
    return `${url.hostname}:${url.port === '' ? '5432' : url.port}`;
  } catch {
    return '?';
  }
};

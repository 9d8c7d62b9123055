/**
 * The evidence bundle (issue 11 §6): one JSON file, written in canonical form (RFC 8785, store/canonical.ts)
 * so that it has exactly one byte sequence — any byte changed, even a space, is refused by verify-export.
 * It holds the PDF, every entry with the event that wrote it and that event's inclusion proof in a Merkle
 * tree over its origin's events (RFC 9162 §2.1; trust/merkle.ts), the position's signed checkpoint whose
 * tree head covers the local origin, its key registrations, an optional RFC 3161 token, and a manifest
 * signed by the position's key over all of it.
 */
import { z } from 'zod';
import { checkpointPayload, keyRegisteredPayload } from '../../trust/events.js';

export const BUNDLE_FORMAT = 'vigie.bundle';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const bundleEventSchema = z
  .object({
    origin: z.string(),
    seq: z.number().int().min(1),
    id: z.string(),
    hlc: z.string(),
    type: z.string(),
    author: z.string(),
    /** The canonical JSON text the hash covers, as stored. */
    payload: z.string(),
    prevHash: hex64,
    hash: hex64,
  })
  .strict();
export type BundleEvent = z.infer<typeof bundleEventSchema>;

export const bundleSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    version: z.literal(1),
    createdAt: z.string(),
    directorate: z.string(),
    position: z.string(),
    /** The PDF, base64. */
    pdf: z.string(),
    /** Checkpoint of the exporting position: its event and its key's registrations, oldest first. */
    checkpoint: z.object({ event: bundleEventSchema, payload: checkpointPayload }).strict(),
    keys: z.array(keyRegisteredPayload).min(1),
    /** DER TimeStampResp over the checkpoint's signed statement (RFC 3161), base64, when an authority is set. */
    timestamp: z.object({ authority: z.string(), response: z.string() }).strict().nullable(),
    /** One tree per origin present: size (events 1..size) and head; the local one is the checkpoint's. */
    trees: z.record(
      z.string(),
      z.object({ size: z.number().int().min(1), root: hex64, headHash: hex64, headProof: z.array(hex64) }).strict(),
    ),
    entries: z.array(
      z
        .object({
          /** The entry as printed (LogbookEntry of the contract). */
          entry: z.record(z.string(), z.unknown()),
          event: bundleEventSchema,
          proof: z.array(hex64),
        })
        .strict(),
    ),
    manifest: z
      .object({
        pdfSha256: hex64,
        entriesSha256: hex64,
        treesSha256: hex64,
        keyId: z.string(),
        /** Ed25519 over canonicalJson({statement: BUNDLE_STATEMENT, …the fields above, checkpoint signature}). */
        signature: z.string(),
      })
      .strict(),
  })
  .strict();
export type Bundle = z.infer<typeof bundleSchema>;

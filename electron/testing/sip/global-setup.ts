/**
 * vitest global setup: tests run from TypeScript sources, where the SIP child has no compiled entry; one
 * is bundled here and named in VIGIE_SIP_ENTRY for every test process (telephony/supervisor.ts reads it).
 */
import { sipChildEntry } from './child-entry.js';

export default async function setup(): Promise<void> {
  process.env['VIGIE_SIP_ENTRY'] ??= await sipChildEntry();
}

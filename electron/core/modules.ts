/**
 * THE module list (docs/architecture.md, "Modules"): createCore builds the core from it, and the CLI's
 * store commands (verify, rebuild, backup, append, export) open the store with the same list, whose schema
 * parts load nothing heavy. Adding a capability = its folder, its part of the contract, one line here.
 */
import { callsModule } from './calls/index.js';
import { directoryModule } from './directory/index.js';
import { drillsModule } from './drills/index.js';
import { healthModule } from './health/index.js';
import type { CoreModule, ModuleSchema } from './kernel/module.js';
import { logbookModule } from './logbook/index.js';
import { replicationModule } from './replication/index.js';
import { statsModule } from './stats/index.js';
import { telephonyModule, type TelephonyOverrides } from './telephony/index.js';
import { voiceModule } from './voice/index.js';
import { trustModule } from './trust/index.js';

export interface ModuleOverrides {
  /** `vigie serve --lab … --auto-answer S`, the Electron shell's SIP process spawner. */
  telephony?: TelephonyOverrides;
}

export const coreModules = (overrides: ModuleOverrides = {}): readonly CoreModule[] => [
  logbookModule,
  callsModule,
  telephonyModule(overrides.telephony),
  healthModule,
  replicationModule,
  voiceModule,
  trustModule,
  directoryModule,
  statsModule,
  drillsModule,
];

/** The schema parts only (event types, projections, migrations): what the store needs. */
export const moduleSchemas = (): readonly ModuleSchema[] => coreModules();

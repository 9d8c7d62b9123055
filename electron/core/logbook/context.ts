import type { LogbookEvent } from '../../contract/logbook.js';
import type { OperationEvent } from '../../contract/operation.js';
import type { SessionEvent } from '../../contract/session.js';
import type { UsersEvent } from '../../contract/users.js';
import type { ShiftEvent } from '../../contract/shift.js';
import type { Store } from '../store/types.js';

/** Everything the logbook pushes to the UI (the core forwards these on its event stream). */
export type LogbookServiceEvent = LogbookEvent | SessionEvent | ShiftEvent | OperationEvent | UsersEvent;

export interface LogbookServiceOptions {
  /** This position's name (vigie.json `positionName`), written in every entry. */
  positionName: string;
  /** Printed at the top of every PDF page (vigie.json `directorate`). */
  directorate: string;
  /** Injectable wall clock (ms since epoch), for tests. The time written comes from the store's clock. */
  now?: () => number;
  /** The configurable list of categories; default DEFAULT_CATEGORIES. */
  categories?: readonly string[];
  /** Folder where `export.start` writes its files (created if needed). */
  exportDir: string;
  /** Receives live events (new entries, session, shift, operation, export progress). */
  emit?: (event: LogbookServiceEvent) => void;
  /**
   * The 0600 file of the PIN key (pin-key.ts), outside the data directory; created on first use. Absent:
   * no PIN can be set or checked (commands that only append or export).
   */
  pinKeyFile?: string;
  /** vigie.json `operatorPinRequired`: an opérateur must have and give a PIN too. Default false. */
  operatorPinRequired?: boolean;
  /** Run before every export: the trust module appends the signed checkpoint the export prints. */
  beforeExport?: () => void;
}

export interface Context {
  store: Store;
  positionName: string;
  directorate: string;
  now: () => number;
  categories: readonly string[];
  exportDir: string;
  emit: (event: LogbookServiceEvent) => void;
  /** The PIN key, read (or created) on first need: a position that never checks a PIN never touches it. */
  pinKey: () => Buffer;
  operatorPinRequired: boolean;
}

/**
 * The calls domain module for the store (see electron/core/domain.ts): event types and projections only,
 * so that CLI commands such as `vigie verify` do not load sip.js. The call manager is in manager.ts,
 * the request handlers in handlers.ts.
 */
import type { CoreModule } from '../kernel/module.js';
import { eventTypes } from './events.js';
import { migrations } from './migrations/index.js';
import { projections } from './projection.js';

export { eventTypes } from './events.js';
export { projections } from './projection.js';

/** The call log's schema; its handlers come with telephony for now (electron/core/telephony). */
export const callsModule: CoreModule = {
  name: 'calls',
  eventTypes,
  projections,
  migrations,
  setup: () => ({}),
};

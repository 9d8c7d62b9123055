/**
 * The calls domain module for the store (see electron/core/domain.ts): event types and projections only,
 * so that CLI commands such as `vigie verify` do not load sip.js. The call manager is in manager.ts,
 * the request handlers in handlers.ts.
 */
export { eventTypes } from './events.js';
export { projections } from './projection.js';

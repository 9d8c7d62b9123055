export { createSipPhone, type SipPhone, type SipPhoneDeps } from './phone.js';
export {
  telephonyConfigSchema,
  aorUser,
  labTelephonyConfig,
  type TelephonyConfig,
  type TelephonyConfigInput,
  type LineConfig,
} from './config.js';
export type { RegistrationState, RegistrationStateName } from './state.js';
export {
  eventTypes,
  telephonyEventsFor,
  telephonyEventTracker,
  TELEPHONY_EVENTS,
  type TelephonyEvent,
  type TelephonyEventType,
} from './events.js';
export {
  NullMediaHandler,
  nullMediaFactory,
  BridgeSessionDescriptionHandler,
  bridgeMediaFactory,
  checkRemoteSdp,
  type MediaBridge,
} from './media.js';
export { WsTransport, type WsTransportOptions } from './transport.js';

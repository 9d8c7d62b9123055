/** The SIP stack that runs in the SIP child process (sip.js and everything that touches it). */
export { createSipPhone, type SipPhone, type SipPhoneDeps } from './phone.js';
export type { RegistrationState, RegistrationStateName } from '../state.js';
export {
  NullMediaHandler,
  nullMediaFactory,
  BridgeSessionDescriptionHandler,
  bridgeMediaFactory,
  checkRemoteSdp,
  type MediaBridge,
} from './media.js';
export { WsTransport, type WsTransportOptions } from './transport.js';

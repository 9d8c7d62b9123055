export {
  labUp,
  labDown,
  labStop,
  labKill,
  labSignal,
  labRestart,
  readLab,
  type LabInfo,
  type LabUpOptions,
} from './lab.js';
export { labCall, labCallee, type LabCallOptions, type LabCallee, type LabCallResult } from './call.js';
export { MAX_AUDIO_CALLS, type MediaLegReport, type MediaSummary } from './media-calls.js';
export { CALLER_TONE_HZ, POSITION_TONE_HZ, RtpEndpoint, type RtpAudioOptions, type RtpStats } from './rtp.js';
export { ngPing, ngRequest, type RtpengineInfo } from './rtpengine.js';
export type { SippResult } from './sipp.js';
export { sendRawUdp, optionsPing } from './udp.js';

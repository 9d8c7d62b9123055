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
export { labCall, labCallee, type LabCallOptions, type LabCallee } from './call.js';
export type { SippResult } from './sipp.js';
export { sendRawUdp, optionsPing } from './udp.js';

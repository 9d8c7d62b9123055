/**
 * Output-device routing of an audio element (Audio Output Devices API, HTMLMediaElement.setSinkId), which
 * Chromium and Electron have but not every DOM typing. '' is the system's default output.
 */
type SinkCapable = HTMLMediaElement & { setSinkId?: (sinkId: string) => Promise<void>; sinkId?: string };

export const canChooseOutput = (): boolean => {
  const proto: SinkCapable = HTMLMediaElement.prototype;
  return typeof proto.setSinkId === 'function';
};

/** Routes `element` to `deviceId` unless it already plays there; false when the engine cannot. */
export const setSink = async (element: HTMLMediaElement, deviceId: string | undefined): Promise<boolean> => {
  const el: SinkCapable = element;
  if (typeof el.setSinkId !== 'function') return false;
  const target = deviceId ?? '';
  if (el.sinkId === target) return true;
  await el.setSinkId(target);
  return true;
};

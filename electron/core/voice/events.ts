/**
 * The voice module's events: what the media-owner page saw of the position's audio. Times are ms since
 * epoch (UTC), as in the telephony events. The payloads restate the contract's argument schemas, plus `at`.
 */
import { z } from 'zod';
import { voiceRequests } from '../../contract/voice.js';

export const VOICE_EVENTS = {
  device: 'voice.device',
  alarm: 'voice.alarm',
  quality: 'voice.quality',
  selfTest: 'voice.selftest',
} as const;

const at = z.object({ at: z.number().int().nonnegative() });

export const deviceSchema = voiceRequests['voice.device'].extend(at.shape);
export const alarmSchema = voiceRequests['voice.alarm'].extend(at.shape);
export const qualitySchema = voiceRequests['voice.quality'].extend(at.shape);
export const selfTestSchema = voiceRequests['voice.selfTest'].extend({ ...at.shape, ok: z.boolean() });

export type SelfTestPayload = z.infer<typeof selfTestSchema>;

export const voiceEventTypes = [
  { type: VOICE_EVENTS.device, schema: deviceSchema },
  { type: VOICE_EVENTS.alarm, schema: alarmSchema },
  { type: VOICE_EVENTS.quality, schema: qualitySchema },
  { type: VOICE_EVENTS.selfTest, schema: selfTestSchema },
] as const;

/**
 * The voice part of the contract: what the media-owner page reports about the position's audio — device
 * changes, watchdog alarms, the quality of each call, the pre-shift self-test — so that the core writes
 * each as an event (docs/architecture.md, rule 1), and the thresholds the page applies, from the position's
 * configuration (`voice` key of vigie.json). Every string and number is bounded.
 */
import { z } from 'zod';

const callId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'identifiant d’appel invalide');
const text = (max: number) => z.string().max(max);
const seconds = (max: number) => z.number().min(0).max(max);

/** `voice` of vigie.json: ring escalation and watchdog thresholds. Every field has a default. */
export const voiceConfigSchema = z
  .object({
    ring: z
      .object({
        /** Volume (0–1) of the ring tone when a call starts ringing. */
        volume: z.number().min(0).max(1).default(0.5),
        /** After this many seconds of the longest wait, the ring plays at `loudVolume`. */
        louderAfterS: seconds(3600).default(15),
        loudVolume: z.number().min(0).max(1).default(1),
        /** After this many seconds, the second ring device (if chosen) rings too. */
        secondDeviceAfterS: seconds(3600).default(30),
        /** Volume of the discreet tone heard in the headset while the operator is busy. */
        busyVolume: z.number().min(0).max(1).default(0.25),
      })
      .strict()
      .refine((r) => r.secondDeviceAfterS >= r.louderAfterS, {
        message: 'secondDeviceAfterS doit être au moins louderAfterS',
      })
      .prefault({}),
    watchdog: z
      .object({
        /** No inbound RTP packet for this long during a call (not on hold) raises « aucun son reçu ». */
        noRtpS: seconds(600).default(5),
        /** Inbound level below `silenceLevel` for this long raises « silence entrant ». */
        inboundSilenceS: seconds(600).default(10),
        /** Microphone level below `micSilenceLevel` for this long (not muted) raises « micro muet ». */
        micSilenceS: seconds(600).default(20),
        /** Linear level 0–1 (RMS, as getStats' audioLevel): 0.001 is −60 dBov, below line noise. */
        silenceLevel: z.number().min(0).max(1).default(0.001),
        /** 0.0001 is −80 dBov: a live microphone never goes that low, a dead one does. */
        micSilenceLevel: z.number().min(0).max(1).default(0.0001),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type VoiceConfig = z.output<typeof voiceConfigSchema>;
export type RingConfig = VoiceConfig['ring'];
export type WatchdogConfig = VoiceConfig['watchdog'];

export const VOICE_ALARMS = ['no-rtp', 'inbound-silence', 'mic-silent'] as const;
export type VoiceAlarm = (typeof VOICE_ALARMS)[number];

export const DEVICE_CHANGES = ['chosen', 'plugged', 'removed', 'track-ended', 'fallback', 'fallback-failed'] as const;

const deviceArgs = z
  .object({
    change: z.enum(DEVICE_CHANGES),
    kind: z.enum(['microphone', 'headset', 'ring', 'second-ring']),
    deviceId: text(256),
    label: text(256),
    /** What happened, in French, for the technician. */
    detail: text(500).default(''),
  })
  .strict();

const alarmArgs = z
  .object({
    callId: callId.nullable(),
    alarm: z.enum(VOICE_ALARMS),
    state: z.enum(['raised', 'cleared']),
    /** How long the condition had lasted when it was raised, or the alarm when it cleared. */
    forS: seconds(86_400),
  })
  .strict();

/** One direction of a call, from getStats (W3C webrtc-stats): loss, jitter, RTT and the E-model (ITU-T G.107). */
export const directionQualitySchema = z
  .object({
    packets: z.number().int().min(0).max(1e9),
    lossPct: z.number().min(0).max(100),
    jitterMs: z.number().min(0).max(60_000),
    rttMs: z.number().min(0).max(60_000).nullable(),
    /** One-way delay the E-model was given (ms). */
    delayMs: z.number().min(0).max(60_000),
    r: z.number().min(-100).max(150),
    mos: z.number().min(1).max(5),
  })
  .strict();
export type DirectionQuality = z.output<typeof directionQualitySchema>;

const qualityArgs = z
  .object({
    callId,
    durationS: seconds(86_400),
    inbound: directionQualitySchema.nullable(),
    outbound: directionQualitySchema.nullable(),
  })
  .strict();

const check = z.object({ ok: z.boolean(), detail: text(300) }).strict();
const selfTestArgs = z
  .object({
    microphone: check.extend({ level: z.number().min(0).max(1) }),
    headset: check,
    ring: check,
    relay: check.extend({ rttMs: z.number().min(0).max(60_000).nullable() }),
  })
  .strict();
export type SelfTestResult = z.output<typeof selfTestArgs>;

export const voiceRequests = {
  'voice.config': z.object({}).strict(),
  'voice.device': deviceArgs,
  'voice.alarm': alarmArgs,
  'voice.quality': qualityArgs,
  'voice.selfTest': selfTestArgs,
};

export type VoiceDeviceArgs = z.input<typeof deviceArgs>;
export type VoiceAlarmArgs = z.input<typeof alarmArgs>;
export type VoiceQualityArgs = z.input<typeof qualityArgs>;

export interface VoiceResults {
  'voice.config': VoiceConfig;
  'voice.device': { recorded: true };
  'voice.alarm': { recorded: true };
  'voice.quality': { recorded: true };
  /** The main courante entry is written by a reactor after the event commits; its text is returned here. */
  'voice.selfTest': { recorded: true; summary: string };
}

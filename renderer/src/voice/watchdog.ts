/**
 * The audio watchdog (issue 9 item 5), as a pure step function fed once a second with what getStats and
 * the microphone's AnalyserNode saw: no inbound RTP packet for `noRtpS`, an inbound level under
 * `silenceLevel` for `inboundSilenceS`, or a microphone under `micSilenceLevel` for `micSilenceS` raises
 * an alarm; the first sample that contradicts it clears it. On hold nothing is expected from the caller
 * (RFC 3264 §8.4: a held party may send nothing), and muted nothing from the microphone: those clocks
 * restart instead of counting.
 */
import { VOICE_ALARMS, type VoiceAlarm, type WatchdogConfig } from '../../../electron/contract/voice.js';

export interface WatchdogSample {
  at: number;
  packetsReceived: number | null;
  inboundLevel: number | null;
  micLevel: number | null;
  onHold: boolean;
  muted: boolean;
}

export interface WatchdogState {
  lastPackets: number | null;
  /** Since when (ms) each condition has held without interruption; null when it does not hold. */
  since: Record<VoiceAlarm, number | null>;
  raised: ReadonlySet<VoiceAlarm>;
}

export const initialWatchdog = (): WatchdogState => ({
  lastPackets: null,
  since: { 'no-rtp': null, 'inbound-silence': null, 'mic-silent': null },
  raised: new Set(),
});

export interface WatchdogChange {
  alarm: VoiceAlarm;
  state: 'raised' | 'cleared';
  forS: number;
}

export const stepWatchdog = (
  state: WatchdogState,
  sample: WatchdogSample,
  config: WatchdogConfig,
): { state: WatchdogState; changes: WatchdogChange[] } => {
  const packets = sample.packetsReceived;
  // A counter that did not move since the last sample (or no receiver yet) is "no RTP".
  const noRtp = packets === null || (state.lastPackets !== null && packets <= state.lastPackets);
  const conditions: Record<VoiceAlarm, boolean | null> = {
    'no-rtp': sample.onHold ? null : noRtp,
    'inbound-silence':
      sample.onHold || noRtp || sample.inboundLevel === null ? null : sample.inboundLevel < config.silenceLevel,
    'mic-silent': sample.muted || sample.micLevel === null ? null : sample.micLevel < config.micSilenceLevel,
  };
  const limits: Record<VoiceAlarm, number> = {
    'no-rtp': config.noRtpS,
    'inbound-silence': config.inboundSilenceS,
    'mic-silent': config.micSilenceS,
  };
  const since = { ...state.since };
  const raised = new Set(state.raised);
  const changes: WatchdogChange[] = [];
  for (const alarm of VOICE_ALARMS) {
    const holds = conditions[alarm];
    if (holds === true) {
      const from = since[alarm] ?? sample.at;
      since[alarm] = from;
      const forS = (sample.at - from) / 1000;
      if (!raised.has(alarm) && forS >= limits[alarm]) {
        raised.add(alarm);
        changes.push({ alarm, state: 'raised', forS });
      }
    } else {
      const from = since[alarm];
      since[alarm] = null;
      // Unknown (on hold, muted, no level) clears too: the alarm is about what can be seen now.
      if (raised.delete(alarm))
        changes.push({ alarm, state: 'cleared', forS: from === null ? 0 : (sample.at - from) / 1000 });
    }
  }
  return { state: { lastPackets: packets ?? state.lastPackets, since, raised }, changes };
};

/**
 * Per open call with media: every second, getStats (stats.ts) and the microphone's level (level.ts) feed
 * the watchdog (watchdog.ts) and the quality estimate; each alarm change is sent to the core
 * (`voice.alarm`), and the call's last quality when it closes (`voice.quality`). Returns what the active
 * call area shows.
 */
import { useEffect, useState } from 'react';
import type { VigieClient } from '../../../electron/contract/index.js';
import type { DirectionQuality, VoiceAlarm, WatchdogConfig } from '../../../electron/contract/voice.js';
import type { MediaCall, MediaRegistry } from '../media/registry.js';
import { meterFor, type LevelMeter } from './level.js';
import { callQuality, inboundLevel, readCallStats, type CallStats } from './stats.js';
import { initialWatchdog, stepWatchdog, type WatchdogState } from './watchdog.js';

const TICK_MS = 1000;

export interface CallAudioView {
  callId: string;
  /** Seconds since the page started watching the call. */
  ageS: number;
  inbound: DirectionQuality | null;
  outbound: DirectionQuality | null;
  alarms: VoiceAlarm[];
}

interface Tracked {
  opened: number;
  stats: CallStats | null;
  watchdog: WatchdogState;
  meter: LevelMeter | null;
  meterTrack: MediaStreamTrack | undefined;
  view: CallAudioView;
}

export const useCallAudio = (client: VigieClient, registry: MediaRegistry, config: WatchdogConfig): CallAudioView[] => {
  const [views, setViews] = useState<CallAudioView[]>([]);
  useEffect(() => {
    const tracked = new Map<string, Tracked>();
    let running = false;

    const meterOf = (t: Tracked, call: MediaCall): LevelMeter | null => {
      if (t.meterTrack !== call.microphone) {
        t.meter?.close();
        t.meter = call.microphone === undefined ? null : meterFor(call.microphone);
        t.meterTrack = call.microphone;
      }
      return t.meter;
    };

    const close = (callId: string, t: Tracked) => {
      t.meter?.close();
      tracked.delete(callId);
      const { inbound, outbound } = t.view;
      void client.call('voice.quality', {
        callId,
        durationS: Math.min(86_400, (Date.now() - t.opened) / 1000),
        inbound,
        outbound,
      });
      for (const alarm of t.watchdog.raised)
        void client.call('voice.alarm', { callId, alarm, state: 'cleared', forS: 0 });
    };

    const tick = async () => {
      if (running) return;
      running = true;
      try {
        const calls = registry.list();
        for (const [id, t] of tracked) if (!calls.some((c) => c.callId === id)) close(id, t);
        for (const call of calls) {
          let t = tracked.get(call.callId);
          if (t === undefined) {
            t = {
              opened: Date.now(),
              stats: null,
              watchdog: initialWatchdog(),
              meter: null,
              meterTrack: undefined,
              view: { callId: call.callId, ageS: 0, inbound: null, outbound: null, alarms: [] },
            };
            tracked.set(call.callId, t);
          }
          const stats = readCallStats((await call.pc.getStats()).values());
          const { inbound, outbound } = callQuality(stats);
          const step = stepWatchdog(
            t.watchdog,
            {
              at: Date.now(),
              packetsReceived: stats.inbound?.packetsReceived ?? null,
              inboundLevel: inboundLevel(t.stats, stats),
              micLevel: meterOf(t, call)?.read() ?? null,
              onHold: call.onHold,
              muted: call.muted,
            },
            config,
          );
          for (const change of step.changes)
            void client.call('voice.alarm', { callId: call.callId, ...change, forS: Math.min(86_400, change.forS) });
          t.stats = stats;
          t.watchdog = step.state;
          t.view = {
            callId: call.callId,
            ageS: (Date.now() - t.opened) / 1000,
            inbound,
            outbound,
            alarms: [...step.state.raised],
          };
        }
        setViews([...tracked.values()].map((t) => t.view));
      } finally {
        running = false;
      }
    };

    const timer = setInterval(() => void tick().catch(() => undefined), TICK_MS);
    return () => {
      clearInterval(timer);
      for (const [id, t] of tracked) close(id, t);
    };
  }, [client, registry, config]);
  return views;
};

/**
 * Ringing on screen and out loud (issue 9 item 3): applies the ring plan every half second, counts the
 * ringing calls in the window title, and shows a desktop notification for each new call while the window
 * is not in front. Audio is unlocked by the first gesture in the page — the sign-in click or key — with a
 * play() on that very event, as the autoplay policy asks; a play() refused later is returned as `blocked`.
 */
import { useEffect, useRef, useState } from 'react';
import type { LiveCall } from '../../../electron/contract/calls.js';
import type { RingConfig } from '../../../electron/contract/voice.js';
import { callerLabel } from '../calls/strings.js';
import type { AudioPreferences } from './preferences.js';
import { createRinger, type Ringer } from './ringer.js';
import { BASE_TITLE, longestWait, ringPlan, SILENT, windowTitle, type RingPlan } from './ringPlan.js';
import { voiceStrings as t } from './strings.js';

const TICK_MS = 500;

const notify = (call: LiveCall, ringing: number): void => {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  if (document.visibilityState === 'visible' && document.hasFocus()) return;
  const n = new Notification(t.notificationTitle(ringing), {
    body: `${call.line.label} — ${callerLabel(call.caller)}`,
    tag: `vigie-call-${call.id}`,
    requireInteraction: true,
  });
  n.onclick = () => {
    window.focus();
    n.close();
  };
};

export interface Ringing {
  plan: RingPlan;
  blocked: string | null;
  ringer: Ringer;
}

export const useRinging = (
  ringing: readonly LiveCall[],
  mine: readonly LiveCall[],
  config: RingConfig,
  prefs: AudioPreferences,
): Ringing => {
  const [blocked, setBlocked] = useState<string | null>(null);
  // Its elements join the page at their first play and leave it at dispose (ringer.ts).
  const [ringer] = useState<Ringer>(() => createRinger(setBlocked));
  const [plan, setPlan] = useState<RingPlan>(SILENT);
  const notified = useRef(new Set<string>());
  const busy = mine.some((c) => c.state !== 'ended');

  useEffect(() => {
    const r = ringer;
    const unlock = () => {
      r.unlock();
      // Asked on the same gesture: browsers grant the notification prompt only from one.
      if (typeof Notification !== 'undefined' && Notification.permission === 'default')
        void Notification.requestPermission().catch(() => undefined);
    };
    window.addEventListener('pointerdown', unlock, { capture: true, once: true });
    window.addEventListener('keydown', unlock, { capture: true, once: true });
    return () => {
      window.removeEventListener('pointerdown', unlock, { capture: true });
      window.removeEventListener('keydown', unlock, { capture: true });
      r.dispose();
    };
  }, [ringer]);

  useEffect(() => {
    const offered = ringing.map((c) => c.offeredAt);
    const step = () => {
      const next = ringPlan({ longestWaitS: longestWait(offered, Date.now()), busy }, config);
      ringer.apply(next, prefs);
      setPlan((old) =>
        old.tone === next.tone && old.stage === next.stage && old.secondDevice === next.secondDevice ? old : next,
      );
    };
    step();
    const timer = setInterval(step, TICK_MS);
    return () => clearInterval(timer);
  }, [ringer, ringing, busy, config, prefs]);

  useEffect(() => {
    document.title = windowTitle(ringing.length);
    const ids = new Set(ringing.map((c) => c.id));
    for (const call of ringing) {
      if (notified.current.has(call.id)) continue;
      notified.current.add(call.id);
      notify(call, ringing.length);
    }
    for (const id of notified.current) if (!ids.has(id)) notified.current.delete(id);
  }, [ringing]);

  useEffect(() => () => void (document.title = BASE_TITLE), []);

  return { plan, blocked: plan.tone === 'none' ? null : blocked, ringer };
};

/**
 * The elements that ring (issue 9 item 3): the ring tone on the ring device, the same on the second ring
 * device when the wait escalates, and the discreet busy tone in the headset. Each is an <audio> element in
 * the page (data-testid ring-audio, ring2-audio, busy-audio), looping the WAV of resources/. A play() that
 * the browser refuses (autoplay policy, missing device) is reported, never swallowed: the screen shows it.
 */
import busyUrl from '../../../resources/ring-busy.wav?url';
import ringUrl from '../../../resources/ring.wav?url';
import type { AudioPreferences } from './preferences.js';
import type { RingPlan } from './ringPlan.js';
import { setSink } from './sink.js';

export interface Ringer {
  apply(plan: RingPlan, prefs: AudioPreferences): void;
  /** Called from a user gesture (the sign-in click or key): a play() then, so that later ones are allowed. */
  unlock(): void;
  /** Plays one element alone for `ms` on `deviceId` (the self-test); resolves once it really played. */
  probe(which: 'ring' | 'busy', deviceId: string | undefined, ms: number): Promise<void>;
  dispose(): void;
}

const element = (url: string, testId: string): HTMLAudioElement => {
  const audio = document.createElement('audio');
  audio.src = url;
  audio.loop = true;
  audio.preload = 'auto';
  audio.dataset.testid = testId;
  audio.hidden = true;
  return audio;
};

export const createRinger = (report: (problem: string | null) => void): Ringer => {
  const ring = element(ringUrl, 'ring-audio');
  const ring2 = element(ringUrl, 'ring2-audio');
  const busy = element(busyUrl, 'busy-audio');
  const failures = new Map<HTMLAudioElement, string>();
  const wanted = new Set<HTMLAudioElement>();

  const publish = () => report(failures.size === 0 ? null : [...new Set(failures.values())].join(' ; '));

  const play = (audio: HTMLAudioElement, deviceId: string | undefined, volume: number, what: string) => {
    audio.volume = volume;
    audio.muted = false;
    wanted.add(audio);
    if (!audio.isConnected) document.body.append(audio);
    if (!audio.paused) return;
    void setSink(audio, deviceId)
      .catch(() => undefined) // a device gone: the default output still rings, better than silence
      .then(() => audio.play())
      .then(() => {
        if (failures.delete(audio)) publish();
      })
      .catch((error: unknown) => {
        const name = error instanceof DOMException ? error.name : '';
        failures.set(
          audio,
          name === 'NotAllowedError'
            ? `${what} bloquée par le navigateur : cliquez ou appuyez sur une touche dans la console`
            : `${what} impossible à jouer${error instanceof Error ? ` (${error.message})` : ''}`,
        );
        publish();
      });
  };
  const stop = (audio: HTMLAudioElement) => {
    wanted.delete(audio);
    if (!audio.paused) audio.pause();
    audio.currentTime = 0;
    if (failures.delete(audio)) publish();
  };

  return {
    apply(plan, prefs) {
      if (plan.tone === 'ring') play(ring, prefs.ringId, plan.volume, 'Sonnerie');
      else stop(ring);
      if (plan.tone === 'ring' && plan.secondDevice && prefs.secondRingId !== undefined)
        play(ring2, prefs.secondRingId, plan.volume, 'Seconde sonnerie');
      else stop(ring2);
      if (plan.tone === 'busy') play(busy, prefs.headsetId, plan.volume, 'Tonalité d’appel en attente');
      else stop(busy);
    },
    unlock() {
      for (const audio of [ring, ring2, busy]) {
        if (!audio.paused) continue;
        if (!audio.isConnected) document.body.append(audio);
        audio.muted = true;
        void audio
          .play()
          .then(() => {
            // Not asked to ring meanwhile: stop the warm-up play.
            if (!wanted.has(audio)) audio.pause();
          })
          .catch(() => undefined)
          .finally(() => {
            audio.muted = false;
          });
      }
    },
    async probe(which, deviceId, ms) {
      const audio = element(which === 'ring' ? ringUrl : busyUrl, `probe-${which}`);
      document.body.append(audio);
      try {
        await setSink(audio, deviceId);
        audio.volume = which === 'ring' ? 0.5 : 0.3;
        await audio.play();
        const start = audio.currentTime;
        await new Promise((r) => setTimeout(r, ms));
        if (!(audio.currentTime > start)) throw new Error('la lecture n’avance pas');
      } finally {
        audio.pause();
        audio.remove();
      }
    },
    dispose() {
      for (const audio of [ring, ring2, busy]) {
        wanted.delete(audio);
        audio.pause();
        audio.remove();
      }
    },
  };
};

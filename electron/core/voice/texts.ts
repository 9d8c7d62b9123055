/** The French text of the main courante entry a self-test writes (category « technique »). */
import type { SelfTestPayload } from './events.js';

const mark = (ok: boolean): string => (ok ? 'OK' : 'ÉCHEC');

export const selfTestText = (p: SelfTestPayload): string => {
  const level = Math.round(p.microphone.level * 1000) / 10;
  const rtt = p.relay.rttMs === null ? '' : `, aller-retour ${Math.round(p.relay.rttMs)} ms`;
  const parts = [
    `micro ${mark(p.microphone.ok)} (niveau ${level} %${p.microphone.detail === '' ? '' : ` — ${p.microphone.detail}`})`,
    `casque ${mark(p.headset.ok)}${p.headset.detail === '' ? '' : ` (${p.headset.detail})`}`,
    `sonnerie ${mark(p.ring.ok)}${p.ring.detail === '' ? '' : ` (${p.ring.detail})`}`,
    `média ${mark(p.relay.ok)}${rtt}${p.relay.detail === '' ? '' : ` (${p.relay.detail})`}`,
  ];
  return `Auto-test audio du poste : ${p.ok ? 'RÉUSSI' : 'ÉCHEC'} — ${parts.join(' ; ')}.`;
};

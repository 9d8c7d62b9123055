import type { VigieClient } from '../../../electron/contract/index.js';
import type { DirectionQuality } from '../../../electron/contract/voice.js';
import { mediaRegistry } from '../media/registry.js';
import { frNumber, voiceStrings as t } from './strings.js';
import { useCallAudio } from './useCallAudio.js';
import { useVoiceConfig } from './useVoiceConfig.js';
import './voice.css';

/** RTCP receiver reports come every few seconds (RFC 3550 §6.2): none after this, the far end sends none. */
const REPORTS_EXPECTED_S = 12;

const Direction = ({
  label,
  q,
  testId,
  late,
}: {
  label: string;
  q: DirectionQuality | null;
  testId: string;
  late: boolean;
}) => (
  <div className="voice-quality-row" data-testid={testId} data-mos={q?.mos ?? ''}>
    <span className="voice-quality-dir">{label}</span>{' '}
    {q === null
      ? late
        ? t.quality.noReports
        : t.quality.waiting
      : t.quality.line(
          frNumber(q.mos, 2),
          frNumber(q.lossPct, 1),
          frNumber(q.jitterMs, 0),
          q.rttMs === null ? '—' : `${frNumber(q.rttMs, 0)} ms`,
        )}
  </div>
);

/**
 * Under « Appel en cours »: the live quality of each call with media, per direction (E-model MOS, loss,
 * jitter, round trip), and the watchdog's alarms in words and with an icon, not by colour alone.
 */
export const CallAudio = ({ client, connected }: { client: VigieClient; connected: boolean }) => {
  const config = useVoiceConfig(client, connected);
  const views = useCallAudio(client, mediaRegistry, config.watchdog);
  if (views.length === 0) return null;
  return (
    <div className="voice-calls" data-testid="call-audio">
      {views.map((v) => (
        <div key={v.callId} className="voice-call" data-call-id={v.callId}>
          {v.alarms.map((alarm) => (
            <div key={alarm} className="voice-alarm" role="alert" data-testid="voice-alarm" data-alarm={alarm}>
              ⚠ {t.alarms[alarm]}
            </div>
          ))}
          <Direction label={t.quality.inbound} q={v.inbound} testId="quality-inbound" late={false} />
          <Direction
            label={t.quality.outbound}
            q={v.outbound}
            testId="quality-outbound"
            late={v.ageS > REPORTS_EXPECTED_S}
          />
        </div>
      ))}
    </div>
  );
};

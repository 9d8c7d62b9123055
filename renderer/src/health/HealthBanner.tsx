import type { HealthView } from '../../../electron/contract/index.js';
import { healthStrings as t } from './strings.js';
import { noumeaTime } from './time.js';

/**
 * The degraded-mode banner: what is down, since when, what still works. It stays full size until an
 * operator acknowledges it (Alt+A, written as an event), then shrinks to one line that stays for the outage.
 */
export const HealthBanner = ({ health, onAcknowledge }: { health: HealthView; onAcknowledge: () => void }) => {
  if (health.phase === 'nominal') return null;
  const counts = t.counts(health.counts.entries, health.counts.manualCalls);
  if (health.phase === 'recovering') {
    return (
      <div className="health-banner health-recovering" role="status" data-testid="health-banner">
        <strong>{t.recovering}</strong> · {counts}
      </div>
    );
  }
  const since = health.since === null ? '' : t.since(noumeaTime(health.since));
  if (health.acknowledged !== null) {
    return (
      <div className="health-banner health-acked" role="status" data-testid="health-banner">
        <strong>{t.title}</strong> {since} · {health.faults.map((f) => f.label).join(', ')} ·{' '}
        {t.acknowledged(health.acknowledged.by, noumeaTime(health.acknowledged.at))} · {counts} · {t.manualCall}{' '}
        <kbd>{t.keys.manualCall}</kbd>
      </div>
    );
  }
  const advice = [...new Set(health.faults.map((f) => t.whatWorksByKind[f.kind]))];
  return (
    <div className="health-banner health-alarm" role="alert" data-testid="health-banner" aria-live="assertive">
      <h2>
        {t.title} <span className="health-since">{since}</span>
      </h2>
      <ul className="health-faults">
        {health.faults.map((fault) => (
          <li key={fault.check} title={fault.detail}>
            {t.down(fault.label, noumeaTime(fault.since))}
            {fault.detail !== '' && <span className="health-detail"> ({fault.detail})</span>}
          </li>
        ))}
      </ul>
      <p>{t.whatWorks}</p>
      <ul className="health-advice">
        {advice.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <p className="health-counts" data-testid="health-counts">
        {counts}
      </p>
      <div className="health-actions">
        <button type="button" onClick={onAcknowledge} data-testid="health-ack">
          {t.acknowledge} <kbd>{t.keys.acknowledge}</kbd>
        </button>
        <span>
          {t.manualCall} <kbd>{t.keys.manualCall}</kbd>
        </span>
      </div>
    </div>
  );
};

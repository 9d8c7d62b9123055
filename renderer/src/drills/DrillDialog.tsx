import { useEffect, useRef, useState } from 'react';
import type { Drill, DrillReport, VigieClient } from '../../../electron/contract/index.js';
import {
  DRILL_MARK_LABELS,
  DRILL_MARKS,
  DRILL_MODE_LABELS,
  DRILL_MODES,
  DRILL_SCENARIO_LABELS,
  DRILL_SCENARIOS,
  type DrillMode,
  type DrillScenario,
} from '../../../electron/contract/drills.js';
import { formatSinceT0 } from '../../../electron/contract/durations.js';
import { formatDate, formatTime } from '../dates.js';
import { downloadBlob } from '../download.js';
import { useSessionAndShift } from '../logbook/useLogbook.js';
import { drillStrings as t } from './strings.js';
import './drills.css';

type Confirm = 'start' | 'stop' | null;

/**
 * Alt+E: start a drill (scenario, mode, with a confirmation), follow its timeline live, end it (confirmed)
 * and download its report. Only a technicien or a chef de salle may start or end one; the core checks it too.
 */
export const DrillDialog = ({
  client,
  connected,
  drill,
  open,
  onClose,
}: {
  client: VigieClient;
  connected: boolean;
  drill: Drill | null;
  open: boolean;
  onClose: () => void;
}) => {
  const ref = useRef<HTMLDialogElement>(null);
  const [scenario, setScenario] = useState<DrillScenario>('telephony');
  const [mode, setMode] = useState<DrillMode>('simulated');
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<DrillReport | null>(null);
  const { session } = useSessionAndShift(client, connected);
  const allowed = session?.permissions.startDrill === true;

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const act = async (what: Exclude<Confirm, null>) => {
    setConfirm(null);
    setPending(true);
    const result =
      what === 'start' ? await client.call('drills.start', { scenario, mode }) : await client.call('drills.stop', {});
    setPending(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setError(null);
    if (what === 'stop' && 'integrity' in result.value) setReport(result.value);
  };

  const restore = async () => {
    setPending(true);
    const result = await client.call('drills.restore', {});
    setPending(false);
    setError(result.ok ? null : result.error.message);
  };

  const fetchPdf = async (drillId: string) => {
    setPending(true);
    const result = await client.call('drills.report', { drillId });
    setPending(false);
    if (result.ok) {
      const bytes = Uint8Array.from(atob(result.value.pdfBase64), (c) => c.charCodeAt(0));
      downloadBlob(new Blob([bytes], { type: 'application/pdf' }), result.value.filename);
    } else setError(result.error.message);
  };

  return (
    <dialog ref={ref} className="drills" aria-labelledby="drills-title" onClose={onClose} data-testid="drills">
      <h2 id="drills-title">{t.title}</h2>
      {!allowed && <p className="drills-note">{t.forbidden}</p>}
      {error !== null && (
        <p role="alert" className="drills-error" data-testid="drills-error">
          {t.error(error)}
        </p>
      )}
      {drill === null ? (
        <div className="drills-form">
          <label>
            {t.scenario}{' '}
            <select
              value={scenario}
              onChange={(e) => setScenario(e.target.value as DrillScenario)}
              disabled={!allowed}
              autoFocus
              data-testid="drills-scenario"
            >
              {DRILL_SCENARIOS.map((s) => (
                <option key={s} value={s}>
                  {DRILL_SCENARIO_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t.mode}{' '}
            <select
              value={mode}
              onChange={(e) => setMode(e.target.value as DrillMode)}
              disabled={!allowed}
              data-testid="drills-mode"
            >
              {DRILL_MODES.map((m) => (
                <option key={m} value={m}>
                  {DRILL_MODE_LABELS[m]}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            disabled={!allowed || pending}
            onClick={() => setConfirm('start')}
            data-testid="drills-start"
          >
            {pending ? t.pending : t.start}
          </button>
        </div>
      ) : (
        <div className="drills-running" data-testid="drills-running">
          <p>
            <strong>{DRILL_SCENARIO_LABELS[drill.scenario]}</strong> — {DRILL_MODE_LABELS[drill.mode]}
          </p>
          <h3>{t.timeline}</h3>
          <ol className="drills-timeline" data-testid="drills-timeline">
            {DRILL_MARKS.map((mark) => {
              const at = drill.marks[mark];
              return (
                <li key={mark} data-mark={mark} data-reached={at !== undefined}>
                  <span>{DRILL_MARK_LABELS[mark]}</span>{' '}
                  <strong>
                    {at === undefined ? t.notReached : `${formatTime(at)} (${formatSinceT0(at - drill.startedAt)})`}
                  </strong>
                </li>
              );
            })}
          </ol>
          {drill.cutActive && (
            <button
              type="button"
              disabled={!allowed || pending}
              onClick={() => void restore()}
              autoFocus
              data-testid="drills-restore"
            >
              {pending ? t.pending : t.restore}
            </button>
          )}
          <button
            type="button"
            disabled={!allowed || pending}
            onClick={() => setConfirm('stop')}
            autoFocus={!drill.cutActive}
            data-testid="drills-stop"
          >
            {pending ? t.pending : t.stop}
          </button>
        </div>
      )}
      {confirm !== null && (
        <div className="drills-confirm" role="alertdialog" aria-label={t.title} data-testid="drills-confirm">
          <p>
            {confirm === 'start'
              ? t.confirmStart(DRILL_SCENARIO_LABELS[scenario], mode === 'simulated')
              : t.confirmStop}
          </p>
          <button type="button" onClick={() => void act(confirm)} autoFocus data-testid="drills-confirm-yes">
            {t.yes}
          </button>
          <button type="button" onClick={() => setConfirm(null)}>
            {t.no}
          </button>
        </div>
      )}
      {report !== null && drill === null && (
        <div className="drills-report" data-testid="drills-report">
          <p>{t.reportOf(DRILL_SCENARIO_LABELS[report.drill.scenario], formatDate(report.drill.startedAt))}</p>
          <p className={report.integrity.ok ? undefined : 'drills-error'}>
            {t.integrity(report.integrity.ok, report.integrity.detail)}
          </p>
          <button type="button" onClick={() => void fetchPdf(report.drill.id)} data-testid="drills-pdf">
            {t.report}
          </button>
        </div>
      )}
      <button type="button" onClick={onClose}>
        {t.close}
      </button>
    </dialog>
  );
};

import { useEffect, useRef, useState } from 'react';
import type { StatsFigures, StatsGroupRow, VigieClient } from '../../../electron/contract/index.js';
import { formatDateTime } from '../dates.js';
import { downloadBlob } from '../download.js';
import { percent, seconds, statsStrings as t } from './strings.js';
import './stats.css';

type RangeKey = keyof typeof t.ranges;
const RANGE_HOURS: Record<RangeKey, number> = { shift: 12, day: 24, week: 24 * 7 };
/** NENA-STA-020 service levels: the share to reach within 15 s and 20 s. */
const GOALS: Record<number, number> = { 15: 90, 20: 95 };

const rangeOf = (key: RangeKey) => {
  const to = Date.now();
  return { from: new Date(to - RANGE_HOURS[key] * 3600_000).toISOString(), to: new Date(to).toISOString() };
};

const Groups = ({
  title,
  rows,
  label = (key: string) => key,
}: {
  title: string;
  rows: StatsGroupRow[];
  label?: (key: string) => string;
}) => (
  <section>
    <h3>{title}</h3>
    <table className="stats-table">
      <thead>
        <tr>
          {t.columns.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{label(row.key)}</th>
            <td>{row.presented}</td>
            <td>{row.answered}</td>
            <td>{row.abandoned}</td>
            <td>{seconds(row.medianAnswerMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </section>
);

/**
 * Alt+I: the supervisor's figures (answer times against NENA-STA-020 and NFPA 1225, abandons, callbacks,
 * per line, hour and operator), recomputed by the core for the chosen period each time it opens.
 */
export const StatsDialog = ({ client, open, onClose }: { client: VigieClient; open: boolean; onClose: () => void }) => {
  const ref = useRef<HTMLDialogElement>(null);
  const [range, setRange] = useState<RangeKey>('shift');
  // Figures with the period they were computed for: another period shows « Calcul en cours… » until its own.
  const [loaded, setLoaded] = useState<{ range: RangeKey; figures: StatsFigures } | null>(null);
  const figures = loaded?.range === range ? loaded.figures : null;
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    let live = true;
    void client.call('stats.figures', rangeOf(range)).then((result) => {
      if (!live) return;
      if (result.ok) {
        setLoaded({ range, figures: result.value });
        setError(null);
      } else setError(result.error.message);
    });
    return () => {
      live = false;
    };
  }, [client, open, range]);

  const exportCsv = () =>
    void client.call('stats.csv', rangeOf(range)).then((result) => {
      if (result.ok)
        downloadBlob(new Blob([result.value.csv], { type: 'text/csv;charset=utf-8' }), result.value.filename);
      else setError(result.error.message);
    });

  return (
    <dialog ref={ref} className="stats" aria-labelledby="stats-title" onClose={onClose} data-testid="stats">
      <h2 id="stats-title">{t.title}</h2>
      <label>
        {t.rangeLabel}{' '}
        <select
          value={range}
          onChange={(e) => setRange(e.target.value as RangeKey)}
          autoFocus
          data-testid="stats-range"
        >
          {(Object.keys(t.ranges) as RangeKey[]).map((key) => (
            <option key={key} value={key}>
              {t.ranges[key]}
            </option>
          ))}
        </select>
      </label>
      {error !== null && (
        <p role="alert" className="stats-error">
          {t.error(error)}
        </p>
      )}
      {figures === null ? (
        error === null && <p aria-busy="true">{t.loading}</p>
      ) : (
        <div className="stats-body" data-testid="stats-figures">
          <p>{t.period(formatDateTime(figures.from), formatDateTime(figures.to))}</p>
          <dl className="stats-tiles">
            <div>
              <dt>{t.presented}</dt>
              <dd data-testid="stats-presented">{figures.presented}</dd>
            </div>
            <div>
              <dt>{t.answered}</dt>
              <dd>{figures.answered}</dd>
            </div>
            <div>
              <dt>{t.abandonRate}</dt>
              <dd>
                {percent(figures.abandonPercent)} ({figures.abandoned})
              </dd>
            </div>
            <div>
              <dt>{t.median}</dt>
              <dd>
                {seconds(figures.answerMs.median)}
                <small>
                  {t.p90} : {seconds(figures.answerMs.p90)}
                </small>
              </dd>
            </div>
            {figures.within.map((w) => {
              const goal = GOALS[w.seconds];
              const below = goal !== undefined && w.percent !== null && w.percent < goal;
              return (
                <div
                  key={w.seconds}
                  className={below ? 'below-goal' : undefined}
                  data-testid={`stats-within-${w.seconds}`}
                >
                  <dt>{t.within(w.seconds)}</dt>
                  <dd>
                    {percent(w.percent)}
                    {below && <> — {t.belowGoal}</>}
                    <small>{t.goal(w.seconds)}</small>
                  </dd>
                </div>
              );
            })}
            <div>
              <dt>{t.callbacks}</dt>
              <dd>
                {figures.callbacks.called}/{figures.callbacks.created}
                <small>
                  {t.callbackDelay} : {seconds(figures.callbacks.medianDelayMs)}
                </small>
              </dd>
            </div>
          </dl>
          <section>
            <h3>{t.distribution}</h3>
            <table className="stats-table">
              <tbody>
                {figures.distribution.map((b) => (
                  <tr key={b.fromSeconds}>
                    <th scope="row">{t.bucket(b.fromSeconds, b.toSeconds)}</th>
                    <td>{b.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <Groups title={t.byLine} rows={figures.byLine} />
          <Groups title={t.byHour} rows={figures.byHour} label={t.hour} />
          <Groups title={t.byOperator} rows={figures.byOperator} />
        </div>
      )}
      <div className="stats-actions">
        <button type="button" onClick={exportCsv} data-testid="stats-csv">
          {t.csv}
        </button>
        <button type="button" onClick={onClose}>
          {t.close}
        </button>
      </div>
    </dialog>
  );
};

import type { Drill } from '../../../electron/contract/index.js';
import { DRILL_MODE_LABELS, DRILL_SCENARIO_LABELS } from '../../../electron/contract/drills.js';
import { formatTime } from '../dates.js';
import { drillStrings as t } from './strings.js';

/** EXERCICE across the top of the screen while a drill runs, so that nobody takes it for a real outage. */
export const DrillBanner = ({ drill }: { drill: Drill | null }) =>
  drill === null ? null : (
    <div className="drill-banner" role="status" data-testid="drill-banner">
      <strong>{t.banner}</strong>{' '}
      {t.bannerDetail(
        DRILL_SCENARIO_LABELS[drill.scenario],
        DRILL_MODE_LABELS[drill.mode],
        formatTime(drill.startedAt),
      )}{' '}
      <kbd>Alt+E</kbd>
    </div>
  );

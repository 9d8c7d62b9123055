import type { Status } from '../../../electron/contract/index.js';
import { formatNoumea, useNow } from '../clock.js';
import type { LinkState } from '../transport.js';
import { statusStrings as t } from './strings.js';

type Level = 'ok' | 'warn' | 'alarm' | 'unknown';

const unknownValue = t.unknown;
/** From this lag on, the other positions' entries reach this screen late enough to be worth an amber tile. */
const LAG_WARN_MS = 10_000;

const Item = ({
  id,
  label,
  value,
  level,
  title,
}: {
  id: string;
  label: string;
  value: string;
  level: Level;
  title?: string;
}) => (
  <div className={`status-item status-${level}`} data-testid={`status-${id}`} title={title} role="status">
    <span className="status-label">{label}</span>
    <span className="status-value">{value}</span>
  </div>
);

/**
 * What the operator must see without hovering: the state, a quarantine (an alarm, docs/architecture.md
 * "Replication"), what is still to send, and the lag once it reaches a second (« en ligne · retard 3 s »).
 */
const networkValue = (network: Status['network']): string => {
  const lag = network.lagMs ?? 0;
  const parts: string[] = [t.networkStates[network.state]];
  if ((network.quarantined ?? 0) > 0) parts.unshift(t.quarantine(network.quarantined ?? 0));
  if ((network.backlog ?? 0) > 0) parts.push(t.backlog(network.backlog ?? 0));
  if (network.state === 'online' && lag >= 1000) parts.push(t.lag(lag));
  return parts.join(' · ');
};

const networkLevel = (status: Status | null): Level => {
  if (status === null) return 'unknown';
  if (status.network.state === 'offline' || (status.network.quarantined ?? 0) > 0) return 'alarm';
  return (status.network.lagMs ?? 0) >= LAG_WARN_MS ? 'warn' : 'ok';
};

export const StatusBar = ({ status: known, link }: { status: Status | null; link: LinkState }) => {
  const now = useNow();
  // Without the link, the last status is no longer known: every tile says so (grey, « inconnu »), none stays green.
  const status = link === 'open' ? known : null;
  const telephonyLevel: Level =
    status === null
      ? 'unknown'
      : status.telephony.state === 'registered'
        ? 'ok'
        : status.telephony.state === 'lost'
          ? 'alarm'
          : 'warn';
  return (
    <header className="status-bar" aria-label="État du poste">
      {link !== 'open' && (
        <div className="status-link-alarm" role="alert" data-testid="status-link">
          {t.link[link]}
        </div>
      )}
      {status?.trust !== undefined && (
        // A position showed different histories to different peers (the core's trust module): for the technician.
        <div className="status-link-alarm" role="alert" data-testid="status-trust">
          {status.trust.detail}
        </div>
      )}
      <Item
        id="telephony"
        label={t.telephony}
        value={status === null ? unknownValue : t.telephonyStates[status.telephony.state]}
        level={telephonyLevel}
        title={status?.telephony.detail}
      />
      <Item
        id="network"
        label={t.network}
        value={status === null ? unknownValue : networkValue(status.network)}
        level={networkLevel(status)}
        title={status?.network.detail}
      />
      <Item
        id="database"
        label={t.database}
        value={
          status === null
            ? unknownValue
            : `${t.databaseStates[status.database.state]} · ${t.events(status.database.events)}`
        }
        level={status === null ? 'unknown' : status.database.state === 'ok' ? 'ok' : 'alarm'}
        title={status?.database.detail}
      />
      <Item
        id="position"
        label={t.position}
        value={status?.positionName ?? unknownValue}
        level={status === null ? 'unknown' : 'ok'}
        title={status?.nodeId}
      />
      <Item id="clock" label={t.clock} value={formatNoumea(now)} level="ok" title={status?.version} />
    </header>
  );
};

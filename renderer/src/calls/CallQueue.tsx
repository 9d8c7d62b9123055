import type { ReactNode } from 'react';
import type { LiveCall } from '../../../electron/contract/calls.js';
import { useNow } from '../clock.js';
import { callStrings as t } from './strings.js';

/** Lines at or above this priority are emergency lines (18, 112…): shown in red. */
const URGENT_PRIORITY = 10;

const CallRow = ({ call, now, actions }: { call: LiveCall; now: number; actions: ReactNode }) => {
  const since = call.answeredAt ?? call.offeredAt;
  return (
    <li
      className={`call call-${call.state}${call.line.priority >= URGENT_PRIORITY ? ' call-urgent' : ''}`}
      data-testid="call"
      data-call-id={call.id}
    >
      <div className="call-line">
        <span className="call-line-label">{call.line.label}</span>
        <span className="call-state">{t.states[call.state]}</span>
      </div>
      <div className="call-caller">
        {call.caller.number === '' ? t.unknownCaller : call.caller.number}
        {call.caller.name !== null && call.caller.name !== call.caller.number && (
          <span className="call-caller-name"> — {call.caller.name}</span>
        )}
      </div>
      <div className="call-timer">
        {call.state === 'ringing' ? t.waiting((now - since) / 1000) : t.talking((now - since) / 1000)}
      </div>
      <div className="call-actions">{actions}</div>
    </li>
  );
};

/** Every ringing line, most urgent first; Enter or the button answers the one chosen. */
export const RingingList = ({ calls, onAnswer }: { calls: LiveCall[]; onAnswer: (id: string) => void }) => {
  const now = useNow();
  if (calls.length === 0) return <p className="empty">{t.queueEmpty}</p>;
  return (
    <ol className="call-list" aria-label="Appels en attente" data-testid="queue">
      {calls.map((call) => (
        <CallRow
          key={call.id}
          call={call}
          now={now}
          actions={
            <button type="button" onClick={() => onAnswer(call.id)}>
              {t.answer}
            </button>
          }
        />
      ))}
    </ol>
  );
};

/** Calls this position holds: active, held or being dialled. */
export const MyCalls = ({
  calls,
  onHangup,
  onHold,
  onResume,
}: {
  calls: LiveCall[];
  onHangup: (id: string) => void;
  onHold: (id: string) => void;
  onResume: (id: string) => void;
}) => {
  const now = useNow();
  if (calls.length === 0) return <p className="empty">{t.mineEmpty}</p>;
  return (
    <ul className="call-list" aria-label="Mes appels" data-testid="mine">
      {calls.map((call) => (
        <CallRow
          key={call.id}
          call={call}
          now={now}
          actions={
            <>
              {call.state === 'held' ? (
                <button type="button" onClick={() => onResume(call.id)}>
                  {t.resume}
                </button>
              ) : (
                <button type="button" onClick={() => onHold(call.id)} disabled={call.state !== 'active'}>
                  {t.hold} <kbd>{t.keys.hold}</kbd>
                </button>
              )}
              <button type="button" className="danger" onClick={() => onHangup(call.id)}>
                {t.hangup} <kbd>{t.keys.hangup}</kbd>
              </button>
            </>
          }
        />
      ))}
    </ul>
  );
};

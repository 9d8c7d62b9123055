import type { KeyboardEvent } from 'react';
import type { LiveCall } from '../../../electron/contract/calls.js';
import { useNow } from '../clock.js';
import { readThresholds } from '../settings.js';
import { keys } from '../shortcuts.js';
import { callerLabel, callStrings as t, formatDuration } from './strings.js';
import './calls.css';
import { targetCall, type CallCommands } from './useCallKeys.js';
import { waitLevel } from './waitLevel.js';

/** Lines at or above this priority are emergency lines (18, 112…): shown in red, and said so. */
const URGENT_PRIORITY = 10;

const LineLabel = ({ call }: { call: LiveCall }) => (
  <span className="call-line-label" title={call.line.label}>
    {call.line.label}
  </span>
);

/**
 * Every ringing line, most urgent first, with its waiting time in large type; past the thresholds the
 * time changes colour AND gains an icon and a word. Enter on a row answers that call.
 */
export const RingingList = ({
  calls,
  gone,
  onAnswer,
  pending,
}: {
  calls: LiveCall[];
  gone: { call: LiveCall }[];
  onAnswer: (id: string) => void;
  pending: CallCommands['pending'];
}) => {
  const now = useNow();
  const thresholds = readThresholds();
  if (calls.length === 0 && gone.length === 0) return <p className="empty">{t.queueEmpty}</p>;
  const onKey = (e: KeyboardEvent<HTMLLIElement>, id: string) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    onAnswer(id);
  };
  return (
    <ol className="call-list queue-list" aria-label="Appels en attente" data-testid="queue">
      {calls.map((call) => {
        const waited = (now - call.offeredAt) / 1000;
        const level = waitLevel(waited, thresholds);
        const words = t.waitLevels[level];
        const busy = pending[call.id];
        return (
          <li
            key={call.id}
            className={`qcall wait-${level}${call.line.priority >= URGENT_PRIORITY ? ' call-urgent' : ''}`}
            data-testid="call"
            data-call-id={call.id}
            data-wait-level={level}
            tabIndex={0}
            onKeyDown={(e) => onKey(e, call.id)}
            onDoubleClick={() => onAnswer(call.id)}
            aria-label={`${call.line.label}, ${callerLabel(call.caller)}, attente ${formatDuration(waited)} ${words.word}`}
          >
            <div className="qcall-who">
              <LineLabel call={call} />
              <span className="call-caller">{callerLabel(call.caller)}</span>
            </div>
            <div className="qcall-wait" data-testid="wait">
              <span className="qcall-time">{formatDuration(waited)}</span>
              {level !== 'normal' && (
                <span className="qcall-level" data-testid="wait-level">
                  {words.icon} {words.word}
                </span>
              )}
            </div>
            <button type="button" className="qcall-answer" onClick={() => onAnswer(call.id)} tabIndex={-1}>
              {busy !== undefined ? t.pending(busy.label) : t.answer}
            </button>
          </li>
        );
      })}
      {gone.map(({ call }) => (
        <li key={`gone-${call.id}`} className="qcall qcall-gone" data-testid="call-gone" data-call-id={call.id}>
          <div className="qcall-who">
            <LineLabel call={call} />
            <span className="call-caller">{callerLabel(call.caller)}</span>
          </div>
          <div className="qcall-wait">
            <span className="qcall-level">✓ {t.answeredElsewhere}</span>
          </div>
        </li>
      ))}
    </ol>
  );
};

/**
 * Calls this position holds: active, held or being dialled. A held call is drawn differently (hatched,
 * « ⏸ EN ATTENTE », its hold timer); ↑/↓ choose the call that F10 and F12 act on.
 */
export const MyCalls = ({
  calls,
  heldSince,
  commands,
}: {
  calls: LiveCall[];
  heldSince: Record<string, number>;
  commands: CallCommands;
}) => {
  const now = useNow();
  if (calls.length === 0) return <p className="empty">{t.mineEmpty}</p>;
  const chosen = targetCall(calls, commands.selectedId);
  const onKey = (e: KeyboardEvent<HTMLUListElement>) => {
    const at = calls.findIndex((c) => c.id === chosen?.id);
    const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    if (step === 0) return;
    e.preventDefault();
    const next = calls[Math.max(0, Math.min(calls.length - 1, at + step))];
    if (next !== undefined) commands.select(next.id);
  };
  return (
    <ul
      className="call-list"
      aria-label="Mes appels"
      data-testid="mine"
      tabIndex={0}
      role="listbox"
      aria-activedescendant={chosen === undefined ? undefined : `mycall-${chosen.id}`}
      onKeyDown={onKey}
    >
      {calls.map((call) => {
        const held = call.state === 'held';
        const since = held ? (heldSince[call.id] ?? now) : (call.answeredAt ?? call.offeredAt);
        const busy = commands.pending[call.id];
        const isChosen = call.id === chosen?.id;
        return (
          <li
            key={call.id}
            id={`mycall-${call.id}`}
            role="option"
            aria-selected={isChosen}
            className={`call call-${call.state}${isChosen ? ' call-chosen' : ''}${call.line.priority >= URGENT_PRIORITY ? ' call-urgent' : ''}`}
            data-testid="call"
            data-call-id={call.id}
            data-state={call.state}
            onClick={() => commands.select(call.id)}
          >
            <div className="call-line">
              <LineLabel call={call} />
              <span className="call-state" data-testid="call-state">
                {held ? t.heldBadge : t.states[call.state]}
              </span>
              {isChosen && <span className="call-chosen-mark">▶ {t.selected}</span>}
            </div>
            <div className="call-caller">{callerLabel(call.caller)}</div>
            <div className="call-timer" data-testid={held ? 'hold-timer' : 'talk-timer'}>
              {held ? t.heldFor((now - since) / 1000) : t.talking((now - since) / 1000)}
            </div>
            {call.signallingLost && (
              <div className="call-signalling-lost" role="alert" data-testid="call-signalling-lost">
                ⚠ {t.signallingLost}
              </div>
            )}
            {busy !== undefined && (
              <div className="call-pending" role="status" data-testid="call-pending">
                ⏳ {t.pending(busy.label)}
              </div>
            )}
            <div className="call-actions">
              {held ? (
                <button type="button" onClick={() => commands.resume(call.id)}>
                  {t.resume} <kbd>{keys.hold}</kbd>
                </button>
              ) : (
                <button type="button" onClick={() => commands.hold(call.id)} disabled={call.state !== 'active'}>
                  {t.hold} <kbd>{keys.hold}</kbd>
                </button>
              )}
              <button type="button" className="danger" onClick={() => commands.hangup(call.id)}>
                {t.hangup} <kbd>{keys.hangup}</kbd>
              </button>
            </div>
          </li>
        );
      })}
    </ul>
  );
};

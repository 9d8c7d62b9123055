import { useEffect, useRef, useState } from 'react';
import type { CallRecord, LiveCall, VigieClient } from '../../../electron/contract/index.js';
import { DirectoryDialog, type DirectoryTarget } from '../directory/DirectoryDialog.js';
import { useSpeedDials } from '../directory/useDirectory.js';
import { HistoryDialog } from '../history/HistoryDialog.js';
import { phoneKeys, speedDialCode } from '../shortcuts.js';
import { DialPad } from './DialPad.js';
import { phoneStrings as t } from './phoneStrings.js';
import './phone.css';
import { callerLabel } from './strings.js';
import { targetCall } from './useCallKeys.js';
import { usePhoneCommands } from './usePhoneCommands.js';

type Open = 'call' | 'transfer' | 'pad' | 'history' | null;

/**
 * The tools of « Appel en cours » beyond answer/hold/hang up (issue 10 item 5): the operational directory
 * (Alt+P), transfer blind or attended (Alt+X, then Alt+C), speed dial (Alt+1…9), the dial pad and DTMF
 * (Alt+N), mute (Alt+S) and the call history (Alt+H). Keys in shortcuts.ts; every command shows pending.
 */
export const PhoneTools = ({
  client,
  connected,
  mine,
  selectedId,
  onError,
}: {
  client: VigieClient;
  connected: boolean;
  mine: LiveCall[];
  selectedId: string | null;
  onError: (message: string | null) => void;
}) => {
  const [open, setOpen] = useState<Open>(null);
  const root = useRef<HTMLDivElement>(null);
  const phone = usePhoneCommands(client, mine, onError);
  const speedDials = useSpeedDials(client, connected);
  const target = targetCall(mine, selectedId);
  const up = target !== undefined && (target.state === 'active' || target.state === 'held') ? target : undefined;
  const { consultation, completeTransfer, mute, dial } = phone;

  // The transferee said the transfer failed (NOTIFY ≥ 300): the call is still ours, and the operator is told.
  useEffect(() => client.onEvent((e) => e.type === 'call.transferFailed' && onError(e.message)), [client, onError]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Asked of the page, not of `open`: Escape closes a native <dialog> at once, but its `close` event (which
      // sets `open` back to null) is a task of its own, so an Alt+S typed right after Escape came before it and
      // was lost (HTML, "The dialog element": close() queues the event). The three dialogs below also close on
      // `cancel`, which Escape fires before closing, in its own keydown (useModalDialog.ts): otherwise an Alt+P
      // typed right after Escape set `open` to the 'call' it still held, and the directory stayed shut.
      if (!e.altKey || e.ctrlKey || e.metaKey || (root.current?.querySelector('dialog[open]') ?? null) !== null) return;
      const key = e.key.toLowerCase();
      const n = speedDialCode(e.code);
      if (n !== null) {
        const entry = speedDials.get(n);
        if (entry === undefined) onError(t.speedDialUnknown(n));
        else dial(entry.number, entry.name);
      } else if (key === phoneKeys.directory) setOpen('call');
      else if (key === phoneKeys.dialPad) setOpen('pad');
      else if (key === phoneKeys.history) setOpen('history');
      else if (key === phoneKeys.transfer) {
        if (consultation !== null) completeTransfer();
        else if (up === undefined) onError(t.noCall);
        else setOpen('transfer');
      } else if (key === phoneKeys.mute) {
        if (up === undefined) onError(t.noCall);
        else mute(up);
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [speedDials, consultation, completeTransfer, up, mute, dial, onError]);

  const onChoose = (choice: DirectoryTarget, how: 'enter' | 'consult') => {
    const mode = open;
    setOpen(null);
    if (mode === 'transfer' && up !== undefined) {
      if (how === 'consult') phone.consult(up.id, choice.number, choice.label);
      else phone.transfer(up.id, choice.number, choice.label);
    } else dial(choice.number, choice.label);
  };
  const onCallBack = (call: CallRecord) => {
    setOpen(null);
    dial(call.caller.number, callerLabel(call.caller));
  };
  const pending = Object.entries(phone.pending);

  return (
    <div className="phone-tools" data-testid="phone-tools" ref={root}>
      {consultation !== null && (
        <p className="phone-consultation" role="status" data-testid="consultation">
          ⇄ {t.consultation(consultation.label)}
        </p>
      )}
      {up?.muted === true && (
        <p className="phone-muted" role="status" data-testid="muted">
          {t.muted}
        </p>
      )}
      {pending.map(([key, p]) => (
        <p className="call-pending" role="status" key={key} data-testid="phone-pending">
          {t.tools.pending(p.label)}
        </p>
      ))}
      <div className="phone-buttons">
        <button type="button" onClick={() => setOpen('call')}>
          {t.tools.directory} <kbd>Alt+P</kbd>
        </button>
        <button
          type="button"
          onClick={() => (consultation !== null ? completeTransfer() : setOpen('transfer'))}
          disabled={up === undefined}
        >
          {t.tools.transfer} <kbd>Alt+X</kbd>
        </button>
        <button type="button" onClick={() => setOpen('pad')}>
          {t.tools.dialPad} <kbd>Alt+N</kbd>
        </button>
        <button
          type="button"
          onClick={() => up !== undefined && mute(up)}
          disabled={up === undefined}
          aria-pressed={up?.muted === true}
        >
          {up?.muted === true ? t.tools.unmute : t.tools.mute} <kbd>Alt+S</kbd>
        </button>
        <button type="button" onClick={() => setOpen('history')}>
          {t.tools.history} <kbd>Alt+H</kbd>
        </button>
      </div>
      <DirectoryDialog
        client={client}
        mode={open === 'call' || open === 'transfer' ? open : null}
        caller={up === undefined ? '' : callerLabel(up.caller)}
        onChoose={onChoose}
        onClose={() => setOpen(null)}
      />
      <DialPad
        open={open === 'pad'}
        call={up}
        onDial={(number) => {
          setOpen(null);
          dial(number, number);
        }}
        onDtmf={(callId, digit) => phone.dtmf(callId, digit)}
        onClose={() => setOpen(null)}
      />
      <HistoryDialog client={client} open={open === 'history'} onCallBack={onCallBack} onClose={() => setOpen(null)} />
    </div>
  );
};

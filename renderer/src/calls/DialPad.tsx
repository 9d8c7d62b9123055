import { useRef, useState, type KeyboardEvent } from 'react';
import type { LiveCall } from '../../../electron/contract/index.js';
import { dialTargetSchema } from '../../../electron/contract/calls.js';
import '../directory/directory.css';
import { phoneStrings as s } from './phoneStrings.js';
import { callerLabel } from './strings.js';
import { useModalDialog } from '../useModalDialog.js';

const PAD = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
const DTMF_KEY = /^[0-9*#]$/;

/**
 * Alt+N, the dial pad, all by keyboard. Without a call in conversation it dials: type the number, Entrée
 * calls. During a conversation it is the DTMF pad (RFC 4733 events sent by the SIP side): each digit,
 * * or # typed is sent at once, and the digits sent are shown. The on-screen keys do the same by mouse.
 */
export const DialPad = ({
  open,
  call,
  onDial,
  onDtmf,
  onClose,
}: {
  open: boolean;
  /** The call in conversation, if any: DTMF mode. */
  call: LiveCall | undefined;
  onDial: (target: string) => void;
  onDtmf: (callId: string, digit: string) => void;
  onClose: () => void;
}) => {
  const input = useRef<HTMLInputElement>(null);
  const [number, setNumber] = useState('');
  const [sent, setSent] = useState('');
  const [error, setError] = useState<string | null>(null);
  const dtmf = call !== undefined && call.state === 'active';
  const dialog = useModalDialog(open, onClose, input, () => {
    setNumber('');
    setSent('');
    setError(null);
  });

  const press = (digit: string) => {
    if (dtmf) {
      onDtmf(call.id, digit);
      setSent((old) => `${old}${digit}`.slice(-40));
    } else setNumber((old) => `${old}${digit}`);
    input.current?.focus();
  };
  const dial = () => {
    const parsed = dialTargetSchema.safeParse(number.replace(/[\s.()-]+/g, ''));
    if (!parsed.success) return setError(s.dialPad.invalid);
    onDial(parsed.data);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (dtmf && DTMF_KEY.test(e.key)) {
      e.preventDefault();
      press(e.key);
    } else if (e.key === 'Enter' && !dtmf) {
      e.preventDefault();
      e.stopPropagation();
      dial();
    }
  };

  return (
    <dialog
      {...dialog}
      className="dialpad"
      aria-labelledby="dialpad-title"
      data-testid="dialpad"
      data-mode={dtmf ? 'dtmf' : 'dial'}
    >
      <h2 id="dialpad-title">{dtmf ? s.dialPad.dtmfTitle(callerLabel(call.caller)) : s.dialPad.dialTitle}</h2>
      <p className="directory-hint">{dtmf ? s.dialPad.dtmfHint : s.dialPad.dialHint}</p>
      <label className="directory-search">
        {dtmf ? s.dialPad.sent : s.dialPad.number}
        <input
          ref={input}
          className="dialpad-number"
          value={dtmf ? sent : number}
          readOnly={dtmf}
          onChange={(e) => {
            setNumber(e.target.value);
            setError(null);
          }}
          onKeyDown={onKey}
          inputMode="tel"
          autoComplete="off"
          data-testid="dialpad-number"
        />
      </label>
      {error !== null && (
        <p className="directory-notice error" role="alert">
          {error}
        </p>
      )}
      <div className="dialpad-keys" role="group" aria-label={s.dialPad.title}>
        {PAD.map((digit) => (
          <button key={digit} type="button" tabIndex={-1} onClick={() => press(digit)}>
            {digit}
          </button>
        ))}
      </div>
      <div className="directory-foot">
        {!dtmf && (
          <button type="button" onClick={dial}>
            {s.dialPad.call}
          </button>
        )}
        <button type="button" onClick={onClose}>
          {s.dialPad.close}
        </button>
      </div>
    </dialog>
  );
};

import { useCallback, useRef, useState } from 'react';
import type { LiveCall, Result, VigieClient } from '../../../electron/contract/index.js';
import { COMMAND_TIMEOUT_MS, type PendingCommand } from './useCallKeys.js';
import { phoneStrings as t } from './phoneStrings.js';
import { callStrings } from './strings.js';

/** An attended transfer under way: the caller on hold, the target called (consultation) from this position. */
export interface Consultation {
  originalId: string;
  consultId: string;
  target: string;
  label: string;
}

export interface PhoneCommands {
  dial(target: string, label: string): void;
  transfer(callId: string, target: string, label: string): void;
  /** Attended transfer, step 1: calls the target; the core puts the caller on hold. */
  consult(callId: string, target: string, label: string): void;
  /** Attended transfer, step 2: hands the caller to the consulted target. */
  completeTransfer(): void;
  dtmf(callId: string, digits: string): void;
  mute(call: LiveCall): void;
  consultation: Consultation | null;
  /** Commands waiting for the core, shown as pending; none blocks another. */
  pending: Record<string, PendingCommand>;
}

const timeout = (ms: number) => new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms));

/**
 * Calls out, transfers, DTMF and mute (issue 10 item 5), with the same rules as the answer/hold keys
 * (useCallKeys.ts): each command shows as pending, none waits for another, the screen stops waiting after
 * COMMAND_TIMEOUT_MS and says why; the core's refusals are shown in French as they come.
 */
export const usePhoneCommands = (
  client: VigieClient,
  mine: LiveCall[],
  onError: (message: string | null) => void,
): PhoneCommands => {
  const [pending, setPending] = useState<Record<string, PendingCommand>>({});
  const [consultation, setConsultation] = useState<Consultation | null>(null);
  const serial = useRef(0);

  const run = useCallback(
    <T>(key: string, label: string, request: () => Promise<Result<T>>, onOk?: (value: T) => void) => {
      const mark = `${key}-${++serial.current}`;
      setPending((old) => ({ ...old, [mark]: { label, since: Date.now() } }));
      const done = () => setPending((old) => Object.fromEntries(Object.entries(old).filter(([k]) => k !== mark)));
      const answer = request();
      void Promise.race([answer, timeout(COMMAND_TIMEOUT_MS)]).then((first) => {
        done();
        if (first === 'timeout') onError(callStrings.timedOut(label, COMMAND_TIMEOUT_MS / 1000));
        else if (first.ok) {
          onError(null);
          onOk?.(first.value);
        } else onError(first.error.message);
      });
    },
    [onError],
  );

  const dial = useCallback(
    (target: string, label: string) => run('dial', t.dialling(label), () => client.call('calls.dial', { target })),
    [client, run],
  );
  const transfer = useCallback(
    (callId: string, target: string, label: string) =>
      run(callId, t.transferring(label), () => client.call('calls.transfer', { callId, target, mode: 'blind' })),
    [client, run],
  );
  const consult = useCallback(
    (callId: string, target: string, label: string) =>
      run(
        'consult',
        t.consulting(label),
        () => client.call('calls.dial', { target }),
        (call) => setConsultation({ originalId: callId, consultId: call.id, target, label }),
      ),
    [client, run],
  );
  const completeTransfer = useCallback(() => {
    if (consultation === null) return;
    const { originalId, consultId, target, label } = consultation;
    const up = mine.find((c) => c.id === consultId);
    if (up === undefined || up.state === 'dialing') {
      onError(t.consultNotUp(label));
      return;
    }
    run(
      originalId,
      t.transferring(label),
      () => client.call('calls.transfer', { callId: originalId, target, mode: 'attended', consultCallId: consultId }),
      () => setConsultation(null),
    );
  }, [client, consultation, mine, onError, run]);
  const dtmf = useCallback(
    (callId: string, digits: string) =>
      run(`dtmf-${callId}`, t.sendingDtmf(digits), () => client.call('calls.dtmf', { callId, digits })),
    [client, run],
  );
  const mute = useCallback(
    (call: LiveCall) =>
      run(`mute-${call.id}`, call.muted ? t.unmuting : t.muting, () =>
        client.call('calls.mute', { callId: call.id, muted: !call.muted }),
      ),
    [client, run],
  );

  // A consultation whose legs are gone (transferred, hung up) is over.
  const live =
    consultation !== null &&
    mine.some((c) => c.id === consultation.originalId) &&
    mine.some((c) => c.id === consultation.consultId);
  return { dial, transfer, consult, completeTransfer, dtmf, mute, consultation: live ? consultation : null, pending };
};

import { useCallback, useEffect, useRef, useState } from 'react';
import type { LiveCall } from '../../../electron/contract/calls.js';
import type { Result, VigieClient } from '../../../electron/contract/index.js';
import { keys } from '../shortcuts.js';
import { callStrings as t } from './strings.js';

/** A command the screen stops waiting for after this long (the issue's « within 5 s »), saying why. */
export const COMMAND_TIMEOUT_MS = 5000;

export interface PendingCommand {
  label: string;
  since: number;
}

export interface CallCommands {
  answer(id: string): void;
  answerNext(): void;
  hold(id: string): void;
  resume(id: string): void;
  hangup(id: string): void;
  /** Commands waiting for the core, per call id ('next' for answer-next). Never blocks another command. */
  pending: Record<string, PendingCommand>;
  /** The call F10 and F12 act on. */
  selectedId: string | null;
  select(id: string | null): void;
}

const timeout = (ms: number) => new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms));

/** The call chosen in « Appel en cours », else the one in conversation, else the last one put on hold. */
export const targetCall = (mine: LiveCall[], selectedId: string | null): LiveCall | undefined =>
  mine.find((c) => c.id === selectedId) ??
  mine.find((c) => c.state === 'active' || c.state === 'dialing') ??
  mine.filter((c) => c.state === 'held').at(-1);

/**
 * Call commands and their keys: F9 answers the most urgent call wherever the focus is; F10 holds or takes
 * back the chosen call; F12 hangs it up, held or not. Each command shows as pending on its call; none
 * waits for another, and the screen gives up waiting after COMMAND_TIMEOUT_MS with the reason.
 */
export const useCallCommands = (
  client: VigieClient,
  mine: LiveCall[],
  onError: (message: string | null) => void,
): CallCommands => {
  const [pending, setPending] = useState<Record<string, PendingCommand>>({});
  const [selectedId, select] = useState<string | null>(null);
  const serial = useRef(0);

  const run = useCallback(
    (key: string, label: string, request: () => Promise<Result<unknown>>) => {
      const mark = ++serial.current;
      setPending((old) => ({ ...old, [key]: { label, since: Date.now() } }));
      const done = () =>
        setPending((old) =>
          old[key] === undefined ? old : Object.fromEntries(Object.entries(old).filter(([k]) => k !== key)),
        );
      let timedOut = false;
      const answer = request();
      void Promise.race([answer, timeout(COMMAND_TIMEOUT_MS)]).then((first) => {
        if (first === 'timeout') {
          timedOut = true;
          done();
          onError(t.timedOut(label, COMMAND_TIMEOUT_MS / 1000));
          return;
        }
        done();
        onError(first.ok ? null : first.error.message);
      });
      // A late answer after the timeout: say so only if it failed, so the operator knows the outcome.
      void answer.then((r) => {
        if (timedOut && !r.ok && mark === serial.current) onError(r.error.message);
      });
    },
    [onError],
  );

  const answer = useCallback(
    (callId: string) => run(callId, t.answer, () => client.call('calls.answer', { callId })),
    [client, run],
  );
  const answerNext = useCallback(
    () => run('next', t.answerNext, () => client.call('calls.answerNext', {})),
    [client, run],
  );
  const hold = useCallback(
    (callId: string) => run(callId, t.hold, () => client.call('calls.hold', { callId })),
    [client, run],
  );
  const resume = useCallback(
    (callId: string) => run(callId, t.resume, () => client.call('calls.resume', { callId })),
    [client, run],
  );
  const hangup = useCallback(
    (callId: string) => run(callId, t.hangup, () => client.call('calls.hangup', { callId })),
    [client, run],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const target = targetCall(mine, selectedId);
      if (e.key === keys.answerNext) answerNext();
      else if (e.key === keys.hold) {
        if (target?.state === 'active') hold(target.id);
        else if (target?.state === 'held') resume(target.id);
      } else if (e.key === keys.hangup) {
        if (target !== undefined) hangup(target.id);
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [mine, selectedId, answerNext, hold, resume, hangup]);

  return { answer, answerNext, hold, resume, hangup, pending, selectedId, select };
};

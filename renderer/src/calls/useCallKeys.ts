import { useCallback, useEffect } from 'react';
import type { QueueSnapshot } from '../../../electron/contract/calls.js';
import type { Result, VigieClient } from '../../../electron/contract/index.js';
import { callStrings as t } from './strings.js';

export interface CallCommands {
  answer(id: string): void;
  answerNext(): void;
  hold(id: string): void;
  resume(id: string): void;
  hangup(id: string): void;
}

/**
 * Call commands, and their keys: F9 answers the most urgent call (one key, whatever has the focus),
 * F10 holds the call in progress or takes back the held one, F12 hangs up the call in progress.
 */
export const useCallCommands = (
  client: VigieClient,
  queue: QueueSnapshot,
  onError: (message: string | null) => void,
): CallCommands => {
  const report = useCallback(
    (pending: Promise<Result<unknown>>) =>
      void pending.then((result) => onError(result.ok ? null : result.error.message)),
    [onError],
  );
  const answer = useCallback((callId: string) => report(client.call('calls.answer', { callId })), [client, report]);
  const answerNext = useCallback(() => report(client.call('calls.answerNext', {})), [client, report]);
  const hold = useCallback((callId: string) => report(client.call('calls.hold', { callId })), [client, report]);
  const resume = useCallback((callId: string) => report(client.call('calls.resume', { callId })), [client, report]);
  const hangup = useCallback((callId: string) => report(client.call('calls.hangup', { callId })), [client, report]);

  useEffect(() => {
    const active = queue.mine.find((c) => c.state === 'active' || c.state === 'dialing');
    const held = queue.mine.filter((c) => c.state === 'held').at(-1);
    const onKey = (e: KeyboardEvent) => {
      if (e.key === t.keys.answerNext) answerNext();
      else if (e.key === t.keys.hold) {
        if (active?.state === 'active') hold(active.id);
        else if (held !== undefined) resume(held.id);
      } else if (e.key === t.keys.hangup) {
        if (active !== undefined) hangup(active.id);
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [queue, answerNext, hold, resume, hangup]);

  return { answer, answerNext, hold, resume, hangup };
};

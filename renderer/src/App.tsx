import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { Status, VigieClient } from '../../electron/contract/index.js';
import { MyCalls, RingingList } from './calls/CallQueue.js';
import { callStrings } from './calls/strings.js';
import { useCallCommands } from './calls/useCallKeys.js';
import { useCallQueue } from './calls/useCalls.js';
import { HealthPanel } from './health/HealthPanel.js';
import { LogbookScreen } from './logbook/LogbookScreen.js';
import { listAudioDevices } from './mediaDevices.js';
import { StatusBar } from './status/StatusBar.js';
import { appStrings as t } from './strings.js';
import type { LinkState } from './transport.js';

const Area = ({
  id,
  title,
  shortcut,
  areaRef,
  children,
}: {
  id: string;
  title: string;
  shortcut: string;
  areaRef: RefObject<HTMLElement | null>;
  children: ReactNode;
}) => (
  <section
    className={`area area-${id}`}
    aria-labelledby={`${id}-title`}
    ref={areaRef}
    tabIndex={-1}
    data-testid={`area-${id}`}
  >
    <h2 id={`${id}-title`}>
      {title} <kbd>{shortcut}</kbd>
    </h2>
    {children}
  </section>
);

export const App = ({ client, link }: { client: VigieClient; link: LinkState }) => {
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<string | null>(null);
  const queueRef = useRef<HTMLElement>(null);
  const activeRef = useRef<HTMLElement>(null);
  const logbookRef = useRef<HTMLElement>(null);
  const [callError, setCallError] = useState<string | null>(null);
  const queue = useCallQueue(client, link === 'open');
  const calls = useCallCommands(client, queue, setCallError);

  // This page owns the position's audio: it answers the core's media requests. Only media.devices is served
  // for now; the other media requests come with the voice feature and are answered « média non disponible ».
  useEffect(() => client.serve({ 'media.devices': listAudioDevices }, { mediaOwner: true }), [client]);

  // Status from the core: on load, on every reconnection, on each pushed change, and by a fallback
  // poll so that the status bar never shows stale state for long.
  useEffect(() => {
    let live = true;
    const load = () =>
      client.call('status.get', {}).then((result) => {
        if (!live) return;
        if (result.ok) {
          setStatus(result.value);
          setError(null);
        } else setError(result.error.message);
      });
    if (link === 'open') void load();
    const off = client.onEvent((event) => {
      if (event.type === 'status') setStatus(event.status);
    });
    const timer = setInterval(() => void load(), 10_000);
    return () => {
      live = false;
      off();
      clearInterval(timer);
    };
  }, [client, link]);

  // Function keys move between areas without the mouse.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = { F2: queueRef, F3: activeRef, F4: logbookRef }[e.key];
      if (target === undefined) return;
      e.preventDefault();
      target.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="app">
      <StatusBar status={status} link={link} />
      <HealthPanel client={client} connected={link === 'open'} />
      {[error, callError].map(
        (message) =>
          message !== null && (
            <div className="error-banner" role="alert" key={message}>
              {t.error(message)}
            </div>
          ),
      )}
      <main className="areas">
        <Area id="queue" title={t.queue.title} shortcut={t.queue.key} areaRef={queueRef}>
          <button
            type="button"
            className="answer-next"
            onClick={calls.answerNext}
            disabled={queue.ringing.length === 0}
          >
            {callStrings.answerNext} <kbd>{callStrings.keys.answerNext}</kbd>
          </button>
          <RingingList calls={queue.ringing} onAnswer={calls.answer} />
        </Area>
        <Area id="active" title={t.active.title} shortcut={t.active.key} areaRef={activeRef}>
          <MyCalls calls={queue.mine} onHangup={calls.hangup} onHold={calls.hold} onResume={calls.resume} />
        </Area>
        <Area id="logbook" title={t.logbook.title} shortcut={t.logbook.key} areaRef={logbookRef}>
          <LogbookScreen client={client} connected={link === 'open'} />
        </Area>
      </main>
      <footer className="shortcuts">{t.shortcuts}</footer>
    </div>
  );
};

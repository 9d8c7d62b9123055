import { useCallback, useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { Status, VigieClient } from '../../electron/contract/index.js';
import { CallbacksPanel } from './callbacks/CallbacksPanel.js';
import { callbackStrings } from './callbacks/strings.js';
import { useCallbacks } from './callbacks/useCallbacks.js';
import { MyCalls, RingingList } from './calls/CallQueue.js';
import { callerLabel, callStrings } from './calls/strings.js';
import { targetCall, useCallCommands } from './calls/useCallKeys.js';
import { useCallQueue } from './calls/useCalls.js';
import { PhoneTools } from './calls/PhoneTools.js';
import { HealthPanel } from './health/HealthPanel.js';
import { WrapUp, type EntryPrefill } from './calls/WrapUp.js';
import { DrillBanner } from './drills/DrillBanner.js';
import { DrillDialog } from './drills/DrillDialog.js';
import { useDrill } from './drills/useDrill.js';
import { HelpDialog } from './HelpDialog.js';
import { LogbookScreen } from './logbook/LogbookScreen.js';
import { useOperations } from './logbook/useLogbook.js';
import { createMediaHandlers } from './media/handlers.js';
import { listAudioDevices } from './mediaDevices.js';
import { loadAudioPreferences, microphoneConstraints } from './voice/preferences.js';
import { useTheme } from './settings.js';
import { altKeys, keys, shortcutFooter } from './shortcuts.js';
import { StatsDialog } from './stats/StatsDialog.js';
import { StatusBar } from './status/StatusBar.js';
import { appStrings as t } from './strings.js';
import type { LinkState } from './transport.js';
import { useFocusKeeper } from './useFocusKeeper.js';
import { CallAudio, RingBadge, Voice } from './voice/index.js';
import { useMessages } from './useMessages.js';

const Area = ({
  id,
  title,
  shortcut,
  areaRef,
  extra,
  children,
}: {
  id: string;
  title: string;
  shortcut: string;
  areaRef: RefObject<HTMLElement | null>;
  extra?: ReactNode;
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
      {extra}
    </h2>
    {children}
  </section>
);

export const App = ({ client, link }: { client: VigieClient; link: LinkState }) => {
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<string | null>(null);
  const queueRef = useRef<HTMLElement>(null);
  const activeRef = useRef<HTMLElement>(null);
  const callbacksRef = useRef<HTMLElement>(null);
  const logbookRef = useRef<HTMLElement>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const wrapUpRef = useRef<HTMLFormElement>(null);
  const [callErrors, setCallError] = useMessages();
  const [help, setHelp] = useState(false);
  const [stats, setStats] = useState(false);
  const [drills, setDrills] = useState(false);
  const [theme, toggleTheme] = useTheme();
  const [prefill, setPrefill] = useState<EntryPrefill | null>(null);
  const connected = link === 'open';
  const [queue, wrapped] = useCallQueue(client, connected);
  const calls = useCallCommands(client, queue.mine, setCallError);
  const callbacks = useCallbacks(client, connected);
  const operations = useOperations(client, connected);
  const drill = useDrill(client, connected);
  const toWrap = queue.ended.at(-1);
  const inCall = targetCall(queue.mine, calls.selectedId);

  useFocusKeeper(textareaRef, logbookRef);

  // This page owns the position's audio: it answers the core's media requests (one peer connection per call,
  // renderer/src/media/), with the microphone chosen for this position.
  const positionRef = useRef<string | undefined>(undefined);
  const nodeId = status?.nodeId;
  useEffect(() => {
    positionRef.current = nodeId;
  }, [nodeId]);
  useEffect(() => {
    const microphone = () =>
      positionRef.current === undefined ? true : microphoneConstraints(loadAudioPreferences(positionRef.current));
    return client.serve(
      { 'media.devices': listAudioDevices, ...createMediaHandlers({ microphone }) },
      { mediaOwner: true },
    );
  }, [client]);

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

  // Function keys move between areas without the mouse; F1 the help, Alt+T the theme, Alt+Q the wrap-up.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && e.code === altKeys.theme) {
        e.preventDefault();
        toggleTheme();
        return;
      }
      if (e.altKey && e.code === altKeys.wrapUp) {
        e.preventDefault();
        wrapUpRef.current?.querySelector('select')?.focus();
        return;
      }
      if (e.altKey && e.code === altKeys.drills) {
        e.preventDefault();
        setDrills(true);
        return;
      }
      if (e.altKey && e.code === altKeys.figures) {
        e.preventDefault();
        setStats(true);
        return;
      }
      if (e.key === keys.help) {
        e.preventDefault();
        setHelp((h) => !h);
        return;
      }
      const targets: Record<string, RefObject<HTMLElement | null>> = {
        [keys.queue]: queueRef,
        [keys.active]: activeRef,
        [keys.callbacks]: callbacksRef,
        [keys.logbook]: logbookRef,
      };
      const target = targets[e.key];
      if (target === undefined || e.altKey || e.ctrlKey) return;
      e.preventDefault();
      // Straight to what the keys act on: the queue's first call (Enter answers it), my calls (↑/↓ choose).
      const area = target.current;
      const inner =
        target === queueRef
          ? area?.querySelector<HTMLElement>('[data-testid="call"]')
          : target === activeRef
            ? area?.querySelector<HTMLElement>('[data-testid="mine"]')
            : target === callbacksRef
              ? area?.querySelector<HTMLElement>('[data-testid="callback"]')
              : null;
      (inner ?? area)?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggleTheme]);

  const onLogbook = useCallback((p: Omit<EntryPrefill, 'serial'>) => {
    setPrefill((old) => ({ ...p, serial: (old?.serial ?? 0) + 1 }));
  }, []);

  return (
    <div className="app">
      <StatusBar status={status} link={link} />
      <DrillBanner drill={drill} />
      <HealthPanel client={client} connected={link === 'open'} />
      {[error, ...callErrors].map(
        (message) =>
          message !== null && (
            <div className="error-banner" role="alert" key={message} data-testid="error-banner">
              {t.error(message)}
            </div>
          ),
      )}
      <main className="areas">
        <Area
          id="queue"
          title={t.queue.title}
          shortcut={keys.queue}
          areaRef={queueRef}
          extra={
            <>
              <span className="queue-count" data-testid="queue-count" data-count={queue.ringing.length}>
                {callStrings.ringingCount(queue.ringing.length)}
              </span>
              <RingBadge ringing={queue.ringing.length} />
            </>
          }
        >
          <button
            type="button"
            className="answer-next"
            onClick={calls.answerNext}
            disabled={queue.ringing.length === 0}
          >
            {calls.pending.next !== undefined ? callStrings.pending(callStrings.answerNext) : callStrings.answerNext}{' '}
            <kbd>{keys.answerNext}</kbd>
          </button>
          <RingingList calls={queue.ringing} gone={queue.gone} onAnswer={calls.answer} pending={calls.pending} />
        </Area>
        <div className="column">
          <Area id="active" title={t.active.title} shortcut={keys.active} areaRef={activeRef}>
            <MyCalls calls={queue.mine} heldSince={queue.heldSince} commands={calls} />
            <CallAudio client={client} connected={connected} />
            <PhoneTools
              client={client}
              connected={connected}
              mine={queue.mine}
              selectedId={calls.selectedId}
              onError={setCallError}
            />
            {toWrap !== undefined && (
              <WrapUp
                key={toWrap.call.id}
                client={client}
                ended={toWrap}
                operations={operations}
                onDone={(callId) => {
                  wrapped(callId);
                  textareaRef.current?.focus();
                }}
                onLogbook={onLogbook}
                formRef={wrapUpRef}
              />
            )}
          </Area>
          <Area
            id="callbacks"
            title={t.callbacks.title}
            shortcut={keys.callbacks}
            areaRef={callbacksRef}
            extra={
              <span className="queue-count" data-testid="callbacks-count">
                {callbackStrings.count(callbacks.pending.length)}
              </span>
            }
          >
            <CallbacksPanel
              client={client}
              pending={callbacks.pending}
              priorities={callbacks.priorities}
              options={callbacks.options}
            />
          </Area>
        </div>
        <Area id="logbook" title={t.logbook.title} shortcut={keys.logbook} areaRef={logbookRef}>
          <LogbookScreen
            client={client}
            connected={connected}
            prefill={prefill}
            currentCall={
              inCall === undefined || inCall.state === 'ended'
                ? null
                : { id: inCall.id, label: callerLabel(inCall.caller) }
            }
            textareaRef={textareaRef}
            listRef={listRef}
          />
        </Area>
      </main>
      <footer className="shortcuts">
        <span>{shortcutFooter}</span>
        <button type="button" onClick={() => setHelp(true)} data-testid="help-open">
          {t.help}
        </button>
        <button type="button" onClick={toggleTheme} data-testid="theme-toggle" data-theme={theme}>
          {t.theme[theme]} <kbd>Alt+T</kbd>
        </button>
      </footer>
      <HelpDialog open={help} onClose={() => setHelp(false)} />
      <Voice
        client={client}
        connected={connected}
        ringing={queue.ringing}
        mine={queue.mine}
        position={status?.nodeId}
      />
      <StatsDialog client={client} open={stats} onClose={() => setStats(false)} />
      <DrillDialog client={client} connected={connected} drill={drill} open={drills} onClose={() => setDrills(false)} />
    </div>
  );
};

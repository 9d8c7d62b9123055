/**
 * The voice feature's page-wide part (issue 9 items 3, 4, 7): ringing (useRinging), the microphone
 * hot-plug (hotplug.ts), the warning when a ring cannot be heard, and the Alt+U audio panel.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LiveCall } from '../../../electron/contract/calls.js';
import type { VigieClient } from '../../../electron/contract/index.js';
import { mediaRegistry } from '../media/registry.js';
import { altKeys } from '../shortcuts.js';
import { watchMicrophone } from './hotplug.js';
import { loadAudioPreferences, type AudioPreferences } from './preferences.js';
import { voiceStrings as t } from './strings.js';
import { useRinging } from './useRinging.js';
import { useVoiceConfig } from './useVoiceConfig.js';
import { VoicePanel } from './VoicePanel.js';
import './voice.css';

/** Until the core said which position this is: a key that no real node id can take. */
const UNKNOWN_POSITION = 'inconnu';

export const Voice = ({
  client,
  connected,
  ringing,
  mine,
  position,
}: {
  client: VigieClient;
  connected: boolean;
  ringing: readonly LiveCall[];
  mine: readonly LiveCall[];
  position: string | undefined;
}) => {
  const config = useVoiceConfig(client, connected);
  const key = position ?? UNKNOWN_POSITION;
  // Per position: once the core named the position, its own choices are read (preferences.ts).
  const [stored, setStored] = useState<{ key: string; prefs: AudioPreferences } | null>(null);
  const prefs = useMemo(
    () => (stored !== null && stored.key === key ? stored.prefs : loadAudioPreferences(key)),
    [stored, key],
  );
  const prefsRef = useRef(prefs);
  const [panel, setPanel] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const { blocked, ringer } = useRinging(ringing, mine, config.ring, prefs);

  useEffect(() => {
    prefsRef.current = prefs;
  }, [prefs]);
  useEffect(() => {
    void mediaRegistry.setHeadset(prefs.headsetId).catch(() => undefined);
  }, [prefs.headsetId]);

  useEffect(
    () =>
      watchMicrophone(
        mediaRegistry,
        () => prefsRef.current,
        (args) => void client.call('voice.device', args),
        setNotice,
      ),
    [client],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.code !== altKeys.audio) return;
      e.preventDefault();
      setPanel((open) => !open);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <>
      {blocked !== null && (
        <div className="voice-blocked" role="alert" data-testid="ring-blocked">
          {t.ringBlocked(blocked)}
        </div>
      )}
      {notice !== null && (
        <div className="voice-notice" role="status" data-testid="voice-notice">
          ♪ {notice}{' '}
          <button type="button" onClick={() => setNotice(null)}>
            OK
          </button>
        </div>
      )}
      <VoicePanel
        open={panel}
        onClose={() => setPanel(false)}
        client={client}
        position={key}
        prefs={prefs}
        onPrefs={(p) => setStored({ key, prefs: p })}
        ringer={ringer}
      />
    </>
  );
};

/** In the queue's title while a call rings: a word and an icon that flash, and the tile flashes with them. */
export const RingBadge = ({ ringing }: { ringing: number }) =>
  ringing === 0 ? null : (
    <span className="ring-badge" data-testid="ring-badge">
      {t.ringBadge}
    </span>
  );

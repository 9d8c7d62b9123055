import { useEffect, useState } from 'react';
import type { VigieClient } from '../../../electron/contract/index.js';
import { voiceConfigSchema, type VoiceConfig } from '../../../electron/contract/voice.js';

/** The defaults until the core answers (or if it cannot): the page rings even before. */
export const DEFAULT_VOICE_CONFIG: VoiceConfig = voiceConfigSchema.parse({});

/** The position's ring and watchdog thresholds (`voice` of vigie.json), fetched on each (re)connection. */
export const useVoiceConfig = (client: VigieClient, connected: boolean): VoiceConfig => {
  const [config, setConfig] = useState<VoiceConfig>(DEFAULT_VOICE_CONFIG);
  useEffect(() => {
    if (!connected) return;
    let live = true;
    void client.call('voice.config', {}).then((r) => {
      if (live && r.ok) setConfig(r.value);
    });
    return () => {
      live = false;
    };
  }, [client, connected]);
  return config;
};

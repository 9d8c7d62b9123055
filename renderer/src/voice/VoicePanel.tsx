/**
 * Alt+U: the position's audio settings (issue 9 items 4 and 7) in a modal dialog — microphone and its
 * fallback, headset, ring and second ring outputs, remembered per position (preferences.ts); a live level
 * meter of the chosen microphone; the self-test key. Everything is reachable with Tab and the arrows.
 */
import { useEffect, useRef, useState } from 'react';
import type { VigieClient } from '../../../electron/contract/index.js';
import { mediaRegistry } from '../media/registry.js';
import { meterFor, meterFraction } from './level.js';
import { microphoneConstraints, saveAudioPreferences, type AudioPreferences } from './preferences.js';
import type { Ringer } from './ringer.js';
import { runSelfTest } from './selfTest.js';
import { canChooseOutput } from './sink.js';
import { voiceStrings as t } from './strings.js';

interface Devices {
  inputs: MediaDeviceInfo[];
  outputs: MediaDeviceInfo[];
}

const useDevices = (open: boolean, granted: boolean): [Devices, string | null] => {
  const [devices, setDevices] = useState<Devices>({ inputs: [], outputs: [] });
  // Absent outside a secure context (the app's own scheme and 127.0.0.1 are secure).
  const unavailable = typeof navigator.mediaDevices?.enumerateDevices !== 'function';
  useEffect(() => {
    if (!open || unavailable) return;
    const load = () =>
      void navigator.mediaDevices.enumerateDevices().then((all) =>
        setDevices({
          inputs: all.filter((d) => d.kind === 'audioinput'),
          outputs: all.filter((d) => d.kind === 'audiooutput'),
        }),
      );
    load();
    navigator.mediaDevices.addEventListener('devicechange', load);
    return () => navigator.mediaDevices.removeEventListener('devicechange', load);
    // Again once the microphone was granted: before that, Chromium lists devices without ids or labels.
  }, [open, unavailable, granted]);
  return [devices, open && unavailable ? t.panel.noDevices : null];
};

/** The live level of the chosen microphone while the panel is open (its own capture, stopped on close). */
const useLevel = (open: boolean, prefs: AudioPreferences): [number, string | null, boolean] => {
  const [level, setLevel] = useState(0);
  const [granted, setGranted] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const constraints = JSON.stringify(microphoneConstraints(prefs));
  useEffect(() => {
    if (!open) return;
    let stream: MediaStream | null = null;
    let meter: ReturnType<typeof meterFor> | null = null;
    let live = true;
    const timer = setInterval(() => {
      if (meter !== null) setLevel(meter.read());
    }, 100);
    void navigator.mediaDevices
      .getUserMedia({ audio: microphoneConstraints(prefs), video: false })
      .then((s) => {
        stream = s;
        const [track] = s.getAudioTracks();
        if (!live || track === undefined) return;
        meter = meterFor(track);
        setError(null);
        setGranted(true);
      })
      .catch((e: unknown) => setError(`micro inaccessible : ${e instanceof Error ? e.message : String(e)}`));
    return () => {
      live = false;
      clearInterval(timer);
      meter?.close();
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
    // The constraints' text stands for prefs.microphoneId: a new capture only when the device changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, constraints]);
  return [level, error, granted];
};

const DeviceSelect = ({
  id,
  label,
  devices,
  value,
  empty,
  disabled,
  onChange,
}: {
  id: string;
  label: string;
  devices: MediaDeviceInfo[];
  value: string | undefined;
  empty: string;
  disabled?: boolean;
  onChange: (v: string | undefined) => void;
}) => (
  <label className="voice-field" htmlFor={id}>
    <span>{label}</span>
    <select
      id={id}
      data-testid={id}
      value={value ?? ''}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
    >
      <option value="">{empty}</option>
      {devices.map((d, i) => (
        <option key={d.deviceId || i} value={d.deviceId}>
          {d.label || `${label} ${i + 1}`}
        </option>
      ))}
    </select>
  </label>
);

export const VoicePanel = ({
  open,
  onClose,
  client,
  position,
  prefs,
  onPrefs,
  ringer,
}: {
  open: boolean;
  onClose: () => void;
  client: VigieClient;
  position: string;
  prefs: AudioPreferences;
  onPrefs: (p: AudioPreferences) => void;
  ringer: Ringer | null;
}) => {
  const ref = useRef<HTMLDialogElement>(null);
  const [level, levelError, granted] = useLevel(open, prefs);
  const [devices, devicesError] = useDevices(open, granted);
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const outputs = canChooseOutput();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const set = (field: keyof AudioPreferences) => (v: string | undefined) => {
    const next = { ...prefs, [field]: v };
    saveAudioPreferences(position, next);
    onPrefs(next);
    const report = (kind: 'microphone' | 'headset' | 'ring' | 'second-ring') =>
      void client.call('voice.device', { change: 'chosen', kind, deviceId: (v ?? '').slice(0, 256), label: '' });
    if (field === 'headsetId') {
      void mediaRegistry.setHeadset(v).catch(() => undefined);
      report('headset');
    } else if (field === 'microphoneId') report('microphone');
    else if (field === 'ringId') report('ring');
    else if (field === 'secondRingId') report('second-ring');
  };

  const selfTest = async () => {
    if (ringer === null || testing) return;
    setTesting(true);
    setResult(null);
    try {
      const outcome = await runSelfTest(prefs, ringer);
      const r = await client.call('voice.selfTest', outcome);
      setResult(r.ok ? r.value.summary : `Auto-test non enregistré : ${r.error.message}`);
    } finally {
      setTesting(false);
    }
  };

  const fraction = meterFraction(level);
  return (
    <dialog ref={ref} className="voice-panel" aria-labelledby="voice-title" onClose={onClose} data-testid="voice-panel">
      <h2 id="voice-title">{t.panel.title}</h2>
      {[devicesError, levelError].map(
        (e) =>
          e !== null && (
            <p key={e} className="voice-warning" role="alert">
              ⚠ {e}
            </p>
          ),
      )}
      <div className="voice-fields">
        <DeviceSelect
          id="voice-mic"
          label={t.panel.microphone}
          devices={devices.inputs}
          value={prefs.microphoneId}
          empty={t.panel.systemDefault}
          onChange={set('microphoneId')}
        />
        <DeviceSelect
          id="voice-fallback"
          label={t.panel.fallback}
          devices={devices.inputs}
          value={prefs.fallbackMicrophoneId}
          empty={t.panel.systemDefault}
          onChange={set('fallbackMicrophoneId')}
        />
        <DeviceSelect
          id="voice-headset"
          label={t.panel.headset}
          devices={devices.outputs}
          value={prefs.headsetId}
          empty={t.panel.systemDefault}
          disabled={!outputs}
          onChange={set('headsetId')}
        />
        <DeviceSelect
          id="voice-ring"
          label={t.panel.ring}
          devices={devices.outputs}
          value={prefs.ringId}
          empty={t.panel.systemDefault}
          disabled={!outputs}
          onChange={set('ringId')}
        />
        <DeviceSelect
          id="voice-ring2"
          label={t.panel.secondRing}
          devices={devices.outputs}
          value={prefs.secondRingId}
          empty={t.panel.none}
          disabled={!outputs}
          onChange={set('secondRingId')}
        />
      </div>
      {!outputs && <p className="voice-note">{t.panel.noOutputChoice}</p>}
      <div className="voice-meter-row">
        <span id="voice-level-label">{t.panel.level}</span>
        <meter
          className="voice-meter"
          data-testid="voice-level"
          data-level={level.toFixed(4)}
          aria-labelledby="voice-level-label"
          min={0}
          max={1}
          low={0.25}
          high={0.85}
          optimum={0.5}
          value={fraction}
        />
        <span className="voice-level-db">{level > 0 ? `${Math.round(20 * Math.log10(level))} dB` : '—'}</span>
      </div>
      <div className="voice-actions">
        <button
          type="button"
          onClick={() => void selfTest()}
          disabled={testing || ringer === null}
          data-testid="voice-selftest"
        >
          {testing ? t.panel.selfTestRunning : t.panel.selfTest}
        </button>
        <button type="button" onClick={onClose}>
          {t.panel.close}
        </button>
      </div>
      {result !== null && (
        <p className="voice-result" role="status" data-testid="voice-selftest-result">
          {result}
        </p>
      )}
    </dialog>
  );
};

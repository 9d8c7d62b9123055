/**
 * The page's open calls with media, for whoever needs to watch or steer them (devices panel, quality
 * meter, self-test): one entry per call opened by the core's `media.open` (electron/contract/renderer.ts),
 * removed on `media.close`. The media handlers (./handlers.ts) are the only writers; everyone else reads
 * snapshots and subscribes.
 */

export interface MediaCall {
  readonly callId: string;
  readonly pc: RTCPeerConnection;
  /** The microphone track currently sent (undefined before getUserMedia resolved). */
  readonly microphone: MediaStreamTrack | undefined;
  /** The caller's audio as received. */
  readonly remote: MediaStream;
  readonly muted: boolean;
  readonly onHold: boolean;
}

export interface MediaRegistry {
  get(callId: string): MediaCall | undefined;
  list(): readonly MediaCall[];
  /** Called on open, close, hold, mute and track changes. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Swap the microphone on every open call with RTCRtpSender.replaceTrack (no renegotiation). */
  replaceMicrophone(track: MediaStreamTrack): Promise<void>;
  /** Route the caller's audio to another output (HTMLMediaElement.setSinkId). */
  setHeadset(deviceId: string | undefined): Promise<void>;
}

/** What the registry keeps per call besides the public snapshot: the sender and the playing element. */
export interface MediaCallEntry {
  call: MediaCall;
  /** The audio transceiver's sender, where the microphone is (re)placed. */
  sender: RTCRtpSender | undefined;
  /** Where the caller's audio plays (absent where the page has no document, e.g. unit tests). */
  audio: HTMLAudioElement | undefined;
}

/** setSinkId is not in every DOM typing nor every engine (Chromium and Electron have it). */
type SinkCapable = HTMLAudioElement & { setSinkId?: (sinkId: string) => Promise<void> };

const applySink = async (audio: HTMLAudioElement | undefined, deviceId: string | undefined): Promise<void> => {
  if (audio === undefined) return;
  const element: SinkCapable = audio;
  if (typeof element.setSinkId !== 'function') return;
  // '' is the system's default output (Audio Output Devices API).
  await element.setSinkId(deviceId ?? '');
};

/** The registry plus the writers the media handlers use. */
export interface MediaRegistryStore extends MediaRegistry {
  /** The chosen headset, applied to every new call's audio element. */
  readonly headset: string | undefined;
  add(entry: MediaCallEntry): void;
  /** Replace a call's public fields (a new snapshot, so that React sees the change). */
  update(callId: string, change: Partial<Omit<MediaCall, 'callId' | 'pc' | 'remote'>>): void;
  entry(callId: string): MediaCallEntry | undefined;
  remove(callId: string): MediaCallEntry | undefined;
  /** Tell the listeners about a change outside the snapshot (e.g. a new remote track). */
  notify(): void;
}

export const createMediaRegistry = (): MediaRegistryStore => {
  const entries = new Map<string, MediaCallEntry>();
  const listeners = new Set<() => void>();
  let headset: string | undefined;
  let snapshot: readonly MediaCall[] = [];

  const notify = (): void => {
    snapshot = [...entries.values()].map((entry) => entry.call);
    for (const listener of [...listeners]) {
      // A listener that throws must not keep the others (or the media handler) from running.
      try {
        listener();
      } catch (error) {
        console.error('Écouteur du registre média en échec', error);
      }
    }
  };

  return {
    get headset() {
      return headset;
    },
    get: (callId) => entries.get(callId)?.call,
    list: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async replaceMicrophone(track) {
      const open = [...entries.values()];
      await Promise.all(
        open.map(async (entry) => {
          // Keep the mute state across the swap: a muted operator stays muted on the new device.
          track.enabled = !entry.call.muted;
          await entry.sender?.replaceTrack(track);
          const previous = entry.call.microphone;
          entry.call = { ...entry.call, microphone: track };
          if (previous !== undefined && previous !== track) previous.stop();
        }),
      );
      notify();
    },
    async setHeadset(deviceId) {
      headset = deviceId;
      await Promise.all([...entries.values()].map((entry) => applySink(entry.audio, deviceId)));
      notify();
    },
    add(entry) {
      entries.set(entry.call.callId, entry);
      // Nothing chosen: the element already plays on the system's default output.
      if (headset !== undefined) {
        void applySink(entry.audio, headset).catch((error: unknown) => {
          console.error('Sortie audio choisie indisponible', error);
        });
      }
      notify();
    },
    update(callId, change) {
      const entry = entries.get(callId);
      if (entry === undefined) return;
      entry.call = { ...entry.call, ...change };
      notify();
    },
    entry: (callId) => entries.get(callId),
    remove(callId) {
      const entry = entries.get(callId);
      if (entry === undefined) return undefined;
      entries.delete(callId);
      notify();
      return entry;
    },
    notify,
  };
};

/** The page's one registry (one media owner per position, docs/architecture.md "Processes"). */
export const mediaRegistry: MediaRegistryStore = createMediaRegistry();

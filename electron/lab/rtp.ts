import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { decode, encode, payloadTypeOf, rms, toneFrames, tonePower, type G711 } from './g711.js';

/**
 * A plain RTP endpoint (RFC 3550) for the lab's callers and callees, like a PSTN gateway's media: it sends a
 * known tone in 20 ms G.711 packets to the address the SDP answer gave, and counts and measures what comes
 * back, including RFC 4733 telephone-events (DTMF).
 */

export interface RtpAudioOptions {
  codec?: G711;
  /** The tone sent (Hz, default CALLER_TONE_HZ). */
  toneHz?: number;
  /** Tone bursts instead of a continuous tone: `onMs` of tone, then `offMs` of silence (for latency). */
  bursts?: { onMs: number; offMs: number };
  /** Payload type of telephone-event in the SDP this endpoint offered or answered (default 101). */
  telephoneEventPt?: number;
  /** The far end's tone, detected in what is received (default POSITION_TONE_HZ). */
  detectHz?: number;
}

export interface RtpStats {
  packetsSent: number;
  packetsReceived: number;
  /** Packets of the negotiated G.711 payload type. */
  audioPacketsReceived: number;
  /** Mean RMS of the received audio packets, fraction of full scale (0 = silence). */
  energyReceived: number;
  /** Share of received audio packets in which the detected tone dominates. */
  toneShareReceived: number;
  /** RFC 4733 events received, in order (one per event, not per packet: its RTP timestamp identifies it). */
  dtmfReceived: string[];
  /** Wall-clock ms (performance.timeOrigin + now) of the first packet received, if any. */
  firstReceivedAt: number | undefined;
  /** Wall-clock ms of each tone burst sent, and of each tone onset detected in what was received. */
  burstsSentAt: number[];
  onsetsReceivedAt: number[];
}

/** The lab's convention: callers (the PSTN side) send 1000 Hz, positions (the page's fake microphone) 600 Hz. */
export const CALLER_TONE_HZ = 1000;
export const POSITION_TONE_HZ = 600;

/** RFC 4733 section 3.2 event codes 0–15. */
const EVENTS = '0123456789*#ABCD';
const wallNow = (): number => performance.timeOrigin + performance.now();
const FRAME_MS = 20;
const SAMPLES = 160;

export class RtpEndpoint {
  private readonly ssrc = randomBytes(4).readUInt32BE(0);
  private seq = randomBytes(2).readUInt16BE(0);
  private timestamp = randomBytes(4).readUInt32BE(0);
  private timer: NodeJS.Timeout | undefined;
  private remote: { host: string; port: number } | undefined;
  private readonly codec: G711;
  private readonly tone: () => Int16Array;
  private readonly silence: Buffer;
  private readonly detectHz: number;
  private eventPt: number;
  private energySum = 0;
  private toneFramesSeen = 0;
  private lastEventTs: number | undefined;
  private toneOn = false;
  private readonly s: RtpStats = {
    packetsSent: 0,
    packetsReceived: 0,
    audioPacketsReceived: 0,
    energyReceived: 0,
    toneShareReceived: 0,
    dtmfReceived: [],
    firstReceivedAt: undefined,
    burstsSentAt: [],
    onsetsReceivedAt: [],
  };

  private constructor(
    private readonly socket: Socket,
    readonly port: number,
    private readonly options: RtpAudioOptions,
  ) {
    this.codec = options.codec ?? 'PCMU';
    this.tone = toneFrames(options.toneHz ?? CALLER_TONE_HZ);
    this.silence = encode(this.codec, new Int16Array(SAMPLES));
    this.detectHz = options.detectHz ?? POSITION_TONE_HZ;
    this.eventPt = options.telephoneEventPt ?? 101;
    socket.on('message', (data) => this.receive(data));
  }

  /** Bind a socket on 127.0.0.1 (a port the kernel chooses) and listen for RTP. */
  static async open(options: RtpAudioOptions = {}): Promise<RtpEndpoint> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => resolve());
    });
    return new RtpEndpoint(socket, socket.address().port, options);
  }

  get payloadType(): number {
    return payloadTypeOf(this.codec);
  }

  /**
   * Start sending to the remote RTP address (from the SDP); a new address replaces the previous one. The
   * far end's SDP may name telephone-event with another payload type than ours (RFC 4733 section 7.1.1).
   */
  start(remote: { host: string; port: number }, telephoneEventPt?: number): void {
    this.remote = remote;
    if (telephoneEventPt !== undefined && Number.isInteger(telephoneEventPt)) this.eventPt = telephoneEventPt;
    if (this.timer !== undefined) return;
    const t0 = performance.now();
    let frame = 0;
    // Paced against the start time, not by a fixed interval, so that timer lateness does not accumulate.
    const tick = (): void => {
      this.sendFrame(frame);
      frame += 1;
      this.timer = setTimeout(tick, Math.max(0, t0 + frame * FRAME_MS - performance.now()));
    };
    tick();
  }

  private sendFrame(frame: number): void {
    if (this.remote === undefined) return;
    const bursts = this.options.bursts;
    let payload: Buffer;
    if (bursts === undefined) payload = encode(this.codec, this.tone());
    else {
      const period = bursts.onMs + bursts.offMs;
      const at = (frame * FRAME_MS) % period;
      if (at < bursts.onMs) {
        if (at === 0) this.s.burstsSentAt.push(wallNow());
        payload = encode(this.codec, this.tone());
      } else payload = this.silence;
    }
    const header = Buffer.alloc(12);
    header[0] = 0x80; // RTP version 2, no padding, no extension, no CSRC
    header[1] = (frame === 0 ? 0x80 : 0) | this.payloadType; // marker on the first packet (RFC 3551 section 4.1)
    header.writeUInt16BE(this.seq, 2);
    header.writeUInt32BE(this.timestamp >>> 0, 4);
    header.writeUInt32BE(this.ssrc, 8);
    this.seq = (this.seq + 1) & 0xffff;
    this.timestamp = (this.timestamp + SAMPLES) >>> 0;
    this.socket.send(Buffer.concat([header, payload]), this.remote.port, this.remote.host);
    this.s.packetsSent += 1;
  }

  private receive(data: Buffer): void {
    if (data.length < 12 || data[0] === undefined || data[0] >> 6 !== 2) return;
    const pt = (data[1] ?? 0) & 0x7f;
    if (pt >= 72 && pt <= 76) return; // RTCP multiplexed on the RTP port (RFC 5761 section 4)
    const now = wallNow();
    this.s.packetsReceived += 1;
    this.s.firstReceivedAt ??= now;
    const csrc = (data[0] & 0x0f) * 4;
    let offset = 12 + csrc;
    if ((data[0] & 0x10) !== 0 && data.length >= offset + 4) offset += 4 + data.readUInt16BE(offset + 2) * 4;
    let end = data.length;
    if ((data[0] & 0x20) !== 0) end -= data[data.length - 1] ?? 0; // padding (RFC 3550 section 5.1)
    const payload = data.subarray(offset, Math.max(offset, end));
    const timestamp = data.readUInt32BE(4);
    if (pt === this.eventPt && payload.length >= 4) {
      // One event = one RTP timestamp; its packets (start, updates, three end packets) all share it.
      if (timestamp !== this.lastEventTs) {
        this.lastEventTs = timestamp;
        this.s.dtmfReceived.push(EVENTS[payload[0] ?? 0] ?? `?${payload[0] ?? ''}`);
      }
      return;
    }
    if (pt !== this.payloadType) return;
    this.s.audioPacketsReceived += 1;
    const samples = decode(this.codec, payload);
    const level = rms(samples);
    this.energySum += level;
    // The tone dominates when its power is most of the frame's power (a sine's power is level²).
    const isTone = level > 0.01 && tonePower(samples, this.detectHz) > 0.5 * level * level;
    if (isTone) this.toneFramesSeen += 1;
    // The arrival of the packet holding the onset, as the burst's time is the sending of its first packet:
    // the packetisation delay (up to one frame) counts, as it does for a listener.
    if (isTone && !this.toneOn) this.s.onsetsReceivedAt.push(now);
    this.toneOn = isTone;
  }

  stats(): RtpStats {
    const audio = this.s.audioPacketsReceived;
    return {
      ...this.s,
      energyReceived: audio === 0 ? 0 : this.energySum / audio,
      toneShareReceived: audio === 0 ? 0 : this.toneFramesSeen / audio,
      dtmfReceived: [...this.s.dtmfReceived],
      burstsSentAt: [...this.s.burstsSentAt],
      onsetsReceivedAt: [...this.s.onsetsReceivedAt],
    };
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  close(): void {
    this.stop();
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }
}

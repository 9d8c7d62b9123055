import { existsSync, readFileSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { RtpEndpoint, type RtpAudioOptions, type RtpStats } from './rtp.js';

/**
 * The media half of the lab's SIPp callers and callees: SIPp carries the SIP, one Node RTP endpoint per
 * call carries the audio. SIPp learns each endpoint's port from its -inf file ([field0], SEQUENTIAL: one
 * line per call) and, through a few shell hooks in the scenario, tells Node the media address of the SDP it
 * received (FILE.answer: "IP PORT NANOSECONDS [TELEPHONE_EVENT_PT]") and when the call ended (FILE.end).
 */

/** Beyond this many calls a run goes without audio: the signalling load benchmarks place thousands. */
export const MAX_AUDIO_CALLS = 100;

export interface MediaLegReport extends RtpStats {
  /** Wall-clock ms at which SIPp sent the INVITE (UAC) and received the answer's SDP (200 OK, or INVITE for a callee). */
  inviteAt: number | undefined;
  answerAt: number | undefined;
  /** Media address the SDP gave (the relay's port on 127.0.0.1). */
  remote: string | undefined;
}

export interface MediaSummary {
  rtpReceived: number;
  rtpSent: number;
  /** Mean RMS level of the received audio over the calls that received some (fraction of full scale). */
  energyReceived: number;
  /** Share of received audio packets in which the tone sent by the far end dominates (mean over calls). */
  toneShareReceived: number;
  dtmfReceived: string[];
  media: MediaLegReport[];
}

export const noMedia = (): MediaSummary => ({
  rtpReceived: 0,
  rtpSent: 0,
  energyReceived: 0,
  toneShareReceived: 0,
  dtmfReceived: [],
  media: [],
});

const nsToMs = (ns: string | undefined): number | undefined => {
  if (ns === undefined || !/^\d+$/.test(ns)) return undefined;
  return Number(BigInt(ns) / 1000n) / 1000;
};

/** SIPp hooks, inserted in the scenario templates (resources/lab/*.xml) in place of the @…@ markers. */
export const audioHooks = {
  start: '  <nop><action><exec command="date +%s%N > [field1].invite"/></action></nop>',
  onSdp: [
    '',
    '    <action>',
    '      <ereg regexp="c=IN IP4 ([0-9.]+)" search_in="body" check_it="true" assign_to="c_line,media_ip"/>',
    '      <ereg regexp="m=audio ([0-9]+)" search_in="body" check_it="true" assign_to="m_line,media_port"/>',
    '      <ereg regexp="a=rtpmap:([0-9]+) telephone-event" search_in="body" assign_to="te_line,te_pt"/>',
    // Written then renamed, so that Node never reads half a line (SIPp does not decode XML entities: no &&).
    '      <exec command="echo [$media_ip] [$media_port] $(date +%s%N) [$te_pt] > [field1].tmp; mv [field1].tmp [field1].answer"/>',
    '    </action>',
    '  ',
  ].join('\n'),
  end: '  <nop><action><exec command="touch [field1].end"/></action></nop>',
  references: '  <Reference variables="c_line,m_line,te_line"/>',
};

export const noAudioHooks = { start: '', onSdp: '', end: '', references: '' };

export class MediaCalls {
  private watcher: FSWatcher | undefined;
  private poll: NodeJS.Timeout | undefined;
  private readonly started = new Set<number>();
  private readonly ended = new Set<number>();

  private constructor(
    private readonly work: string,
    private readonly endpoints: RtpEndpoint[],
  ) {}

  /** Opens one endpoint per call and writes WORK/media.csv for SIPp's -inf. */
  static async open(work: string, count: number, audio: RtpAudioOptions): Promise<MediaCalls> {
    if (count > MAX_AUDIO_CALLS) throw new Error(`audio limité à ${MAX_AUDIO_CALLS} appels par lancement`);
    const endpoints: RtpEndpoint[] = [];
    for (let i = 0; i < count; i += 1) endpoints.push(await RtpEndpoint.open(audio));
    const calls = new MediaCalls(work, endpoints);
    const lines = endpoints.map((e, i) => `${e.port};${calls.prefix(i)}`);
    writeFileSync(calls.csv, `SEQUENTIAL\n${lines.join('\n')}\n`);
    calls.watcher = watch(work, () => calls.scan());
    calls.poll = setInterval(() => calls.scan(), 100); // fs.watch may coalesce events
    return calls;
  }

  get csv(): string {
    return join(this.work, 'media.csv');
  }

  private prefix(i: number): string {
    return join(this.work, `call-${i}`);
  }

  private readAnswer(i: number): { host: string; port: number; atMs: number | undefined; tePt: string } | null {
    const path = `${this.prefix(i)}.answer`;
    if (!existsSync(path)) return null;
    const [host, port, ns, tePt] = readFileSync(path, 'utf8').trim().split(/\s+/);
    if (host === undefined || port === undefined || !/^\d+$/.test(port)) return null;
    return { host, port: Number(port), atMs: nsToMs(ns), tePt: tePt ?? '' };
  }

  private scan(): void {
    this.endpoints.forEach((endpoint, i) => {
      if (!this.started.has(i)) {
        const answer = this.readAnswer(i);
        if (answer !== null && answer.port > 0) {
          this.started.add(i);
          endpoint.start(answer, answer.tePt === '' ? undefined : Number(answer.tePt));
        }
      }
      if (this.started.has(i) && !this.ended.has(i) && existsSync(`${this.prefix(i)}.end`)) {
        this.ended.add(i);
        endpoint.stop();
      }
    });
  }

  /** Stops every endpoint and reports, per call and summed. */
  close(): MediaSummary {
    this.scan();
    this.watcher?.close();
    clearInterval(this.poll);
    const media = this.endpoints.map((endpoint, i): MediaLegReport => {
      endpoint.close();
      const answer = this.readAnswer(i);
      const invitePath = `${this.prefix(i)}.invite`;
      const inviteAt = existsSync(invitePath) ? nsToMs(readFileSync(invitePath, 'utf8').trim()) : undefined;
      return {
        ...endpoint.stats(),
        inviteAt,
        answerAt: answer?.atMs,
        remote: answer === null ? undefined : `${answer.host}:${answer.port}`,
      };
    });
    const heard = media.filter((m) => m.audioPacketsReceived > 0);
    const mean = (values: number[]): number =>
      values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
    return {
      rtpReceived: media.reduce((sum, m) => sum + m.packetsReceived, 0),
      rtpSent: media.reduce((sum, m) => sum + m.packetsSent, 0),
      energyReceived: mean(heard.map((m) => m.energyReceived)),
      toneShareReceived: mean(heard.map((m) => m.toneShareReceived)),
      dtmfReceived: media.flatMap((m) => m.dtmfReceived),
      media,
    };
  }
}

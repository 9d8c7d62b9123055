/**
 * SIPp callers for the calls tests and benchmark: one scenario that gives up with CANCEL after ringing
 * `ringMs`, or hangs up `talkMs` after being answered; through Kamailio it honours Record-Route
 * (`rrs="true"`, `[next_url]`, `[routes]`, lab notes). Optionally it accepts a hold/resume pair of
 * re-INVITEs and checks their SDP direction. `labCall` (electron/core/lab) covers the plain ring/talk caller; this one adds the hold/resume leg.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeUdpPort } from '../../lab/ports.js';

export interface CallerOptions {
  ringMs: number;
  talkMs: number;
  /** The caller's number (From user). */
  from: string;
  /** Called service number sent in P-Called-Party-ID (the line). */
  line?: string;
  /** Expect a re-INVITE with a=sendonly then one with a=sendrecv, and answer them. */
  expectHoldResume?: boolean;
}

const sdp = (direction: string): string =>
  [
    'v=0',
    'o=sipp 1 1 IN IP4 [local_ip]',
    's=-',
    'c=IN IP4 [local_ip]',
    't=0 0',
    'm=audio [media_port] RTP/AVP 0',
    'a=rtpmap:0 PCMU/8000',
    `a=${direction}`,
  ].join('\n');

const reinviteLeg = (from: string, expect: string, answer: string): string => `
  <recv request="INVITE">
    <action><ereg regexp="a=${expect}" search_in="body" check_it="true" assign_to="dir_${expect}"/></action>
  </recv>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:${from}@[local_ip]:[local_port]>
      Content-Type: application/sdp
      Content-Length: [len]

${sdp(answer)}
    ]]>
  </send>
  <recv request="ACK"/>`;

export const callerScenario = (o: CallerOptions): string => `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="vigie caller">
  <send retrans="500" start_txn="invite">
    <![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: "Appelant [call_number]" <sip:${o.from}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:${o.from}@[local_ip]:[local_port]>
      Max-Forwards: 70
${o.line === undefined ? '' : `      P-Called-Party-ID: <sip:${o.line}@[remote_ip]>\n`}      Content-Type: application/sdp
      Content-Length: [len]

${sdp('sendrecv')}
    ]]>
  </send>
  <recv response="100" optional="true" response_txn="invite"/>
  <recv response="180" optional="true" response_txn="invite"/>
  <recv response="183" optional="true" response_txn="invite"/>
  <recv response="200" rrs="true" timeout="${o.ringMs}" ontimeout="giveup" response_txn="invite"/>
  <send>
    <![CDATA[
      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: "Appelant [call_number]" <sip:${o.from}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      [routes]
      Contact: <sip:${o.from}@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
${o.expectHoldResume === true ? reinviteLeg(o.from, 'sendonly', 'recvonly') + reinviteLeg(o.from, 'sendrecv', 'sendrecv') : ''}
  <pause milliseconds="${o.talkMs}"/>
  <send retrans="500">
    <![CDATA[
      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: "Appelant [call_number]" <sip:${o.from}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 2 BYE
      [routes]
      Contact: <sip:${o.from}@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv response="200" crlf="true" next="done"/>

  <label id="giveup"/>
  <send start_txn="cancel">
    <![CDATA[
      CANCEL sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      [last_Via:]
      From: "Appelant [call_number]" <sip:${o.from}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 CANCEL
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <!-- The 200 of the CANCEL and the 487 of the INVITE travel apart (the position answers both over its
       WebSocket, Kamailio relays them from separate workers): RFC 3261 §9.2 orders neither, so either may
       come first. -->
  <recv response="200" response_txn="cancel" optional="true"/>
  <recv response="487" response_txn="invite"/>
  <send ack_txn="invite">
    <![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      [last_Via:]
      From: "Appelant [call_number]" <sip:${o.from}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <label id="done"/>
${o.expectHoldResume === true ? '  <Reference variables="dir_sendonly,dir_sendrecv"/>' : ''}
</scenario>
`;

export interface SippResult {
  exitCode: number;
  successful: number;
  failed: number;
  output: string;
}

/** Runs SIPp to completion (foreground child, killed on timeout) and reads its final statistics. */
export const runSipp = async (o: {
  dir: string;
  target: string;
  service: string;
  scenario: CallerOptions;
  count?: number;
  rate?: number;
  timeoutMs?: number;
}): Promise<SippResult> => {
  const file = join(o.dir, `caller-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.xml`);
  writeFileSync(file, callerScenario(o.scenario));
  const port = await freeUdpPort();
  const mediaPort = await freeUdpPort();
  const count = o.count ?? 1;
  const args = [
    '-sf',
    file,
    o.target,
    '-s',
    o.service,
    '-i',
    '127.0.0.1',
    '-p',
    String(port),
    '-mp',
    String(mediaPort),
    '-m',
    String(count),
    '-r',
    String(o.rate ?? 10),
    '-l',
    String(Math.max(count, 10)),
    '-nostdin',
    '-trace_stat',
    '-fd',
    '1',
    '-stf',
    join(o.dir, `stat-${port}.csv`),
    '-timeout',
    `${Math.ceil((o.timeoutMs ?? 120_000) / 1000)}s`,
    '-max_recv_loops',
    '10000',
    '-trace_err',
    '-error_file',
    join(o.dir, `err-${port}.log`),
  ];
  const child = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: o.dir });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  const killer = setTimeout(() => child.kill('SIGKILL'), (o.timeoutMs ?? 120_000) + 10_000);
  const exitCode = await new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
  clearTimeout(killer);
  let successful = 0;
  let failed = 0;
  const stat = readdirSync(o.dir).find((f) => f === `stat-${port}.csv`);
  if (stat !== undefined) {
    const rows = readFileSync(join(o.dir, stat), 'utf8').trim().split('\n');
    const head = rows[0]?.split(';') ?? [];
    const last = rows[rows.length - 1]?.split(';') ?? [];
    const col = (name: string): number => Number(last[head.indexOf(name)] ?? 0);
    successful = col('SuccessfulCall(C)');
    failed = col('FailedCall(C)');
  }
  let errors = '';
  try {
    errors = readFileSync(join(o.dir, `err-${port}.log`), 'utf8').slice(-5000);
  } catch {
    // no error file: no errors
  }
  return { exitCode, successful, failed, output: `${output}\n${errors}` };
};

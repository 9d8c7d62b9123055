/**
 * A hostile caller for the lab: it is answered, never sends the ACK of the 200 OK, and ends the call with
 * BYE at once. The position's SIP stack then waits for an ACK that never comes (RFC 3261 §13.3.1.4: 2xx
 * retransmitted for 64*T1 = 32 s); in sip.js 0.21.2 unpatched, that timer threw once the BYE had ended the
 * session and took its process down. Honours Record-Route like the lab's caller (rrs, [next_url], [routes]).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLab } from '../../lab/index.js';
import { freeUdpPort } from '../../lab/ports.js';
import { runSipp, type SippResult } from '../../lab/sipp.js';

const scenario = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="answered, no ACK, BYE">
  <send retrans="500">
    <![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=z9hG4bK-[pid]-[call_number]-invite;rport
      From: "Sans ACK" <sip:0687000111@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:0687000111@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=user1 1 1 IN IP4 [local_ip]
      s=-
      c=IN IP4 [local_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0
      a=rtpmap:0 PCMU/8000

    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rrs="true" timeout="20000"/>
  <!-- No ACK: straight to BYE (CSeq 2), within the dialog the 200 created. -->
  <send retrans="500" start_txn="bye">
    <![CDATA[
      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      [routes]
      From: "Sans ACK" <sip:0687000111@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Contact: <sip:0687000111@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <!-- Retransmissions of the unacknowledged 200 OK to the INVITE may arrive first. -->
  <recv response="200" response_txn="bye" crlf="true"/>
</scenario>
`;

export const byeWithoutAck = async (labDir: string, to: string): Promise<SippResult> => {
  const lab = readLab(labDir);
  const work = mkdtempSync(join(lab.dir, 'bye-no-ack-'));
  writeFileSync(join(work, 'scenario.xml'), scenario);
  const args = [
    '-sf',
    join(work, 'scenario.xml'),
    lab.sipUdp,
    '-s',
    to,
    '-i',
    '127.0.0.1',
    '-p',
    String(await freeUdpPort()),
    '-m',
    '1',
    '-timeout',
    '40s',
    '-timeout_error',
  ];
  return runSipp(args, work).done;
};

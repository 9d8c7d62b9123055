/**
 * The page half of the lab's WebRTC endpoint (electron/testing/lab/webrtc-endpoint.ts): plain browser script,
 * served as a string so that the Node side needs no DOM types. One RTCPeerConnection per page, audio only,
 * ICE servers [] (loopback), the fake microphone Chromium plays from a WAV file. It also times the onsets of
 * a known tone in the microphone and in the received audio (Web Audio analysers) for the latency benchmark.
 */
export const PAGE_SCRIPT = String.raw`
const wall = () => performance.timeOrigin + performance.now();
const state = { pc: null, mic: null, remote: new MediaStream(), onsets: { remote: [], mic: [] }, ctx: null,
  levels: { remote: { sum: 0, n: 0, tone: 0 }, mic: { sum: 0, n: 0, tone: 0 } } };
const detectHz = { remote: 1000, mic: 600 };

function watch(track, which) {
  state.ctx ??= new AudioContext();
  void state.ctx.resume();
  // Chromium only feeds a remote track to Web Audio while a media element plays it (muted here).
  if (which === 'remote') { const a = new Audio(); a.srcObject = new MediaStream([track]); a.muted = true; void a.play(); }
  const source = state.ctx.createMediaStreamSource(new MediaStream([track]));
  const analyser = state.ctx.createAnalyser();
  analyser.fftSize = 256;
  source.connect(analyser);
  const buf = new Float32Array(analyser.fftSize);
  let on = false;
  setInterval(() => {
    analyser.getFloatTimeDomainData(buf);
    const rate = state.ctx.sampleRate;
    const k = 2 * Math.cos((2 * Math.PI * detectHz[which]) / rate);
    let s1 = 0, s2 = 0, sum = 0;
    for (const x of buf) { const s0 = x + k * s1 - s2; s2 = s1; s1 = s0; sum += x * x; }
    const power = (2 * (s1 * s1 + s2 * s2 - k * s1 * s2)) / (buf.length * buf.length);
    const level = sum / buf.length;
    const tone = level > 1e-4 && power > 0.3 * level;
    const l = state.levels[which];
    l.sum += Math.sqrt(level); l.n += 1; if (tone) l.tone += 1;
    if (tone && !on) state.onsets[which].push(wall());
    on = tone;
  }, 4);
}

async function ensurePc() {
  if (state.pc !== null) return state.pc;
  const pc = new RTCPeerConnection({ iceServers: [] });
  state.pc = pc;
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
  state.mic = stream.getAudioTracks()[0];
  pc.addTrack(state.mic, stream);
  pc.ontrack = (e) => { state.remote.addTrack(e.track); watch(e.track, 'remote'); };
  watch(state.mic, 'mic');
  return pc;
}

function gathered(pc) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 3000);
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') { clearTimeout(timer); resolve(); }
    });
  });
}

window.__lab = {
  setTones(remoteHz, micHz) { detectHz.remote = remoteHz; detectHz.mic = micHz; },
  async describe() {
    const pc = await ensurePc();
    const d = pc.signalingState === 'have-remote-offer' ? await pc.createAnswer() : await pc.createOffer();
    await pc.setLocalDescription(d);
    await gathered(pc);
    return pc.localDescription.sdp;
  },
  async setRemote(sdp) {
    const pc = await ensurePc();
    const type = pc.signalingState === 'have-local-offer' ? 'answer' : 'offer';
    await pc.setRemoteDescription({ type, sdp });
  },
  dtmf(tones) {
    const sender = state.pc && state.pc.getSenders().find((s) => s.dtmf);
    if (!sender) return false;
    sender.dtmf.insertDTMF(tones, 100, 70);
    return true;
  },
  async stats() {
    const r = state.levels.remote;
    const out = { remoteLevel: r.n === 0 ? 0 : r.sum / r.n, remoteToneShare: r.n === 0 ? 0 : r.tone / r.n, packetsReceived: 0, packetsSent: 0, totalAudioEnergy: 0, audioLevel: 0, connection: '', localAddress: '', remoteAddress: '', jitterBufferMs: 0 };
    if (state.pc === null) return out;
    out.connection = state.pc.connectionState;
    const report = await state.pc.getStats();
    const byId = new Map();
    report.forEach((s) => byId.set(s.id, s));
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        out.packetsReceived += s.packetsReceived ?? 0;
        out.totalAudioEnergy += s.totalAudioEnergy ?? 0;
        out.audioLevel = s.audioLevel ?? 0;
        if ((s.jitterBufferEmittedCount ?? 0) > 0) out.jitterBufferMs = (1000 * s.jitterBufferDelay) / s.jitterBufferEmittedCount;
      }
      if (s.type === 'outbound-rtp' && s.kind === 'audio') out.packetsSent += s.packetsSent ?? 0;
      if (s.type === 'transport' && s.selectedCandidatePairId) {
        const pair = byId.get(s.selectedCandidatePairId);
        const local = pair && byId.get(pair.localCandidateId);
        const remote = pair && byId.get(pair.remoteCandidateId);
        if (local) out.localAddress = local.address + ':' + local.port;
        if (remote) out.remoteAddress = remote.address + ':' + remote.port;
      }
    });
    return out;
  },
  onsets() { return state.onsets; },
  close() { if (state.pc !== null) state.pc.close(); state.pc = null; },
};
`;

export const PAGE_HTML = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Poste WebRTC de laboratoire</title></head><body><script>${PAGE_SCRIPT}</script></body></html>`;

export interface PageStats {
  /** Mean RMS (fraction of full scale) of the received audio, measured by a Web Audio analyser. */
  remoteLevel: number;
  /** Share of analyser frames in which the far end's tone dominates. */
  remoteToneShare: number;
  packetsReceived: number;
  packetsSent: number;
  totalAudioEnergy: number;
  audioLevel: number;
  connection: string;
  localAddress: string;
  remoteAddress: string;
  jitterBufferMs: number;
}

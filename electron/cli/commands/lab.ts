import { labCall, labDown, labUp } from '../../lab/index.js';
import { parseFlags, required, UsageError } from '../args.js';

const number = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new UsageError(`--${flag} attend un nombre positif`);
  return parsed;
};

/** --user 1001:secret (repeatable): users whose REGISTER needs digest auth; the others register openly. */
const users = (values: string[] | undefined): Record<string, string> => {
  const result: Record<string, string> = {};
  for (const value of values ?? []) {
    const at = value.indexOf(':');
    if (at <= 0 || at === value.length - 1) throw new UsageError('--user attend UTILISATEUR:MOT_DE_PASSE');
    result[value.slice(0, at)] = value.slice(at + 1);
  }
  return result;
};

const up = async (argv: string[]): Promise<number> => {
  const { values } = parseFlags(argv, { dir: { type: 'string' }, user: { type: 'string', multiple: true } });
  const info = await labUp({ dir: required(values.dir, 'dir'), users: users(values.user) });
  process.stdout.write(`${info.wsUrl}\n`);
  process.stderr.write(
    `laboratoire démarré : Kamailio pid ${info.pid}, SIP UDP ${info.sipUdp}, rtpengine pid ${info.rtpengine.pid} (ng ${info.rtpengine.ngPort}), ${info.dir}/lab.json\n`,
  );
  return 0;
};

const down = async (argv: string[]): Promise<number> => {
  const { values } = parseFlags(argv, { dir: { type: 'string' } });
  await labDown({ dir: required(values.dir, 'dir') });
  process.stderr.write('laboratoire arrêté\n');
  return 0;
};

const call = async (argv: string[]): Promise<number> => {
  const { values } = parseFlags(argv, {
    dir: { type: 'string' },
    to: { type: 'string' },
    count: { type: 'string' },
    rate: { type: 'string' },
    ring: { type: 'string' },
    talk: { type: 'string' },
    line: { type: 'string' },
    from: { type: 'string' },
    'no-audio': { type: 'boolean' },
    tone: { type: 'string' },
  });
  const count = number(values.count, 'count');
  const toneHz = number(values.tone, 'tone');
  const result = await labCall({
    dir: required(values.dir, 'dir'),
    to: required(values.to, 'to'),
    count,
    rate: number(values.rate, 'rate'),
    ringS: number(values.ring, 'ring'),
    talkS: number(values.talk, 'talk'),
    line: values.line,
    from: values.from,
    audio: values['no-audio'] === true ? false : toneHz === undefined ? undefined : { toneHz },
  });
  process.stdout.write(
    `appels : ${count ?? 1}, réussis (SuccessfulCall) : ${result.successful}, échoués (FailedCall) : ${result.failed}\n`,
  );
  if (result.media.length > 0) {
    process.stdout.write(
      `RTP reçus du poste : ${result.rtpReceived} (envoyés : ${result.rtpSent}), énergie ${result.energyReceived.toFixed(3)}, ` +
        `part de la tonalité du poste ${(100 * result.toneShareReceived).toFixed(0)} %, ` +
        `DTMF reçus : ${result.dtmfReceived.length === 0 ? 'aucun' : result.dtmfReceived.join('')}\n`,
    );
  }
  if (result.exitCode !== 0) process.stderr.write(`SIPp : code ${result.exitCode}\n${result.output.slice(-4000)}\n`);
  return result.exitCode === 0 ? 0 : 1;
};

/** `vigie lab up|down|call`: the loopback Kamailio + SIPp lab (see resources/lab and shared/lab-notes). */
export const run = async (argv: string[]): Promise<number> => {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'up':
      return up(rest);
    case 'down':
      return down(rest);
    case 'call':
      return call(rest);
    default:
      throw new UsageError('sous-commande attendue : up, down ou call');
  }
};

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { labResourcesDir } from './resources.js';

/** User names the lab accepts: digits and simple URI characters only, so they never need escaping. */
const USER = /^[A-Za-z0-9._+-]{1,64}$/;
/** Passwords end up in a Kamailio string literal: printable ASCII without quote, backslash or `$`. */
const PASSWORD = /^[\x21\x23\x25-\x5b\x5d-\x7e]{1,128}$/;

export interface KamailioConfigInput {
  udpPort: number;
  wsPort: number;
  rundir: string;
  passwordsFile: string;
  /** rtpengine's ng control port on 127.0.0.1 (electron/lab/rtpengine.ts). */
  rtpengineNgPort: number;
}

/** Kamailio's module directory differs between architectures (Debian multiarch); take the first that exists. */
export const kamailioModulesDir = (): string => {
  const candidates = [
    '/usr/lib/x86_64-linux-gnu/kamailio/modules/',
    '/usr/lib/aarch64-linux-gnu/kamailio/modules/',
    '/usr/lib/kamailio/modules/',
    '/usr/lib64/kamailio/modules/',
    '/usr/local/lib64/kamailio/modules/',
  ];
  const found = candidates.find((dir) => existsSync(join(dir, 'tm.so')));
  if (found === undefined) throw new Error('modules Kamailio introuvables (paquet kamailio installé ?)');
  return found;
};

export const renderKamailioConfig = (input: KamailioConfigInput): string => {
  // The ctl module binds a unix socket: sun_path is 108 bytes on Linux (unix(7)).
  if (join(input.rundir, 'kamailio_ctl').length > 100) {
    throw new Error(`chemin du laboratoire trop long pour la socket de contrôle : ${input.rundir}`);
  }
  const values: Record<string, string> = {
    UDP_PORT: String(input.udpPort),
    WS_PORT: String(input.wsPort),
    RUNDIR: input.rundir,
    MPATH: kamailioModulesDir(),
    PASSWORDS_FILE: input.passwordsFile,
    RTPENGINE_NG_PORT: String(input.rtpengineNgPort),
  };
  const template = readFileSync(join(labResourcesDir(), 'kamailio.cfg.template'), 'utf8');
  const rendered = template.replace(/@([A-Z_]+)@/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`gabarit Kamailio : variable inconnue ${whole}`);
    return value;
  });
  return rendered;
};

export const validateLabUsers = (users: Readonly<Record<string, string>>): void => {
  for (const [user, password] of Object.entries(users)) {
    if (!USER.test(user)) throw new Error(`utilisateur de laboratoire invalide : « ${user} »`);
    if (!PASSWORD.test(password)) {
      throw new Error(
        `mot de passe invalide pour ${user} (ASCII imprimable, sans guillemet, barre oblique inverse ni $)`,
      );
    }
  }
};

/** route[PASSWORD]: the only place the plaintext passwords live (a 0600 file in the lab directory). */
export const renderPasswordsRoute = (users: Readonly<Record<string, string>>): string => {
  validateLabUsers(users);
  const lines = Object.entries(users).map(
    ([user, password]) => `    if ($tU == "${user}") { $var(password) = "${password}"; }`,
  );
  return [
    'route[PASSWORD] {',
    '    $var(password) = "";   # $var keeps its value between messages of one process',
    ...lines,
    '}',
    '',
  ].join('\n');
};

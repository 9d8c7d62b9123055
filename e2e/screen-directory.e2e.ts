/**
 * The operator's screen, issue 10 items 9, 6, 5 and 7, keyboard only, through the browser host and a
 * Kamailio lab: who answers (refused before sign-in, then logged under the person), the operational
 * directory (search as you type, CSV import with an error per line and nothing half-imported, export),
 * DTMF, mute, blind transfer to a directory entry, a call out from the dial pad, and the call history
 * (filters, linked entries, call back with Entrée). The far ends are sip.js peers that act on REFER.
 * Screenshots at 1366×768 and 1920×1080, both themes, in dist/test-artifacts/.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { Inviter, UserAgent, type Invitation } from 'sip.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp, type LabInfo } from '../electron/lab/index.js';
import { startTestUa, type TestUa } from '../electron/testing/calls/ua.js';
import { removeDataDir } from '../electron/testing/data-dir.js';
import { launchChromium } from './support/chromium.js';
import { repoRoot } from './support/paths.js';
import { addUser } from './support/roster.js';
import { screenshots, SIZES } from './support/screenshots.js';
import { serve, type Served } from './support/serve.js';

describe('who answers, directory, transfer, dial pad and history in Chromium against a real Kamailio', () => {
  let dir: string;
  let lab: LabInfo;
  let data: string;
  let served: Served;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const peers: TestUa[] = [];
  /** What the far ends saw: DTMF bodies (SIP INFO), who called the transfer target, calls back. */
  const dtmf: string[] = [];
  const targetFrom: string[] = [];
  const callerInvites: string[] = [];
  // What the far ends saw and answered, in order: a call that stays « dialing » then says whose side stopped.
  const farEnd: string[] = [];
  let inviter: Inviter | undefined;

  const focused = () =>
    page.evaluate<string>(
      "document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? 'none'",
    );
  // What the directory dialog shows, read at once (no locator wait): the text searched, the first target's
  // number, how many, and the search error if any — a failed poll then says which of them was wrong.
  const directoryShows = () =>
    page.evaluate<string>(`(() => {
      const input = document.querySelector('[data-testid="directory-search"]');
      const entries = [...document.querySelectorAll('[data-testid="directory-entry"]')];
      const error = document.querySelector('[data-testid="directory-search-error"]')?.textContent ?? '';
      return \`« \${input?.value ?? '?'} » → \${entries[0]?.getAttribute('data-number') ?? 'rien'} (\${entries.length})\${error === '' ? '' : ' ' + error}\`;
    })()`);
  const db = () => new Database(join(data, 'vigie.db'), { readonly: true, fileMustExist: true });
  const mine = () => page.getByTestId('mine').getByTestId('call');
  // The first call's state, then what the far ends saw last: a call stuck « dialing » says whose side stopped.
  const stateAndFarEnd = async (): Promise<string> =>
    `${(await mine().first().getAttribute('data-state')) ?? '?'} — ${farEnd.slice(-6).join(' ; ')}`;
  const banner = () => page.getByTestId('error-banner');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigie-e2e-directory-lab-'));
    data = mkdtempSync(join(tmpdir(), 'vigie-e2e-directory-'));
    lab = await labUp({ dir });
    addUser(data, 'Marie Wamytan', 'chef_de_salle', '2468');
    // The far ends here are signalling-only user agents (no RTP): the position runs without media, so DTMF goes
    // as SIP INFO, which they can see (the page's RFC 4733 path is tested in voice-call.e2e.ts).
    served = await serve(['--lab', dir, '--user', '1001', '--data', data, '--media', 'null']);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    await page.setViewportSize(SIZES[0]);
    // The transfer target (1106) and the number called out (1107) answer whatever arrives.
    for (const user of ['1106', '1107']) {
      const ua = await startTestUa({ wsUrl: lab.wsUrl, user });
      peers.push(ua);
      ua.onInvite((invitation: Invitation) => {
        if (user === '1106') targetFrom.push(invitation.remoteIdentity.uri.user ?? '');
        farEnd.push(`${user} ← INVITE de ${invitation.remoteIdentity.uri.user ?? '?'}`);
        invitation.accept().then(
          () => farEnd.push(`${user} : 200 envoyé`),
          (error: unknown) => farEnd.push(`${user} : accept refusé (${String(error)})`),
        );
      });
    }
    const caller = await startTestUa({ wsUrl: lab.wsUrl, user: '2105' });
    peers.push(caller);
    caller.onInvite((invitation: Invitation) => {
      callerInvites.push(invitation.remoteIdentity.uri.user ?? '');
      void invitation.accept();
    });
  });

  afterAll(async () => {
    await page?.close();
    await chromium?.close();
    await served?.stop();
    for (const p of peers) await p.stop().catch(() => undefined);
    await labDown({ dir }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    removeDataDir(data);
  });

  /** The caller: a sip.js UA that records DTMF (INFO) and follows a REFER (RFC 3515) as a phone would. */
  const callConsole = async (): Promise<void> => {
    const caller = peers[2];
    const uri = UserAgent.makeURI('sip:1001@127.0.0.1');
    if (caller === undefined || uri === undefined) throw new Error('appelant absent');
    const call = new Inviter(caller.userAgent, uri);
    call.delegate = {
      onInfo: (info) => {
        dtmf.push(info.request.body);
        void info.accept();
      },
      onRefer: (referral) => {
        void referral.accept().then(() => {
          const onward = referral.makeInviter();
          onward.stateChange.addListener((s) => {
            if (s === 'Established')
              void call.dialog?.notify(undefined, {
                extraHeaders: ['Event: refer', 'Subscription-State: terminated;reason=noresource'],
                body: { contentDisposition: 'render', contentType: 'message/sipfrag', content: 'SIP/2.0 200 OK\r\n' },
              });
          });
          void onward.invite();
        });
      },
    };
    inviter = call;
    await call.invite();
  };

  it('item 9: refuses F9 to nobody signed in, in French; once signed in, the call log names the person', async () => {
    await page.goto(served.url);
    await page.getByTestId('status-telephony').getByText('enregistrée').waitFor({ timeout: 20_000 });
    await callConsole();
    await expect.poll(() => page.getByTestId('queue').getByTestId('call').count(), { timeout: 15_000 }).toBe(1);
    await page.keyboard.press('F9');
    await expect.poll(() => banner().allTextContents()).toContainEqual(expect.stringContaining('Identifiez-vous (F8)'));
    expect(await mine().count()).toBe(0);
    await screenshots(page, 'who-answers-refused');

    await page.keyboard.press('F8');
    expect(await focused()).toBe('signin-name');
    await expect.poll(() => page.getByTestId('signin-name').locator('option').count()).toBe(1);
    await page.keyboard.press('Tab');
    await page.keyboard.type('2468');
    await page.keyboard.press('Enter');
    await page.getByTestId('session-user').waitFor();
    await page.keyboard.press('F9');
    await expect.poll(() => mine().first().getAttribute('data-state'), { timeout: 10_000 }).toBe('active');
    const row = db().prepare("SELECT operator, position FROM calls WHERE state = 'active'").get() as {
      operator: string;
      position: string;
    }; // TEXT columns of the calls projection (calls migration 0001)
    expect(row.operator).toBe('Marie Wamytan');
    expect(row.operator).not.toBe(row.position);
  });

  it('lists the phone keys in the F1 map', async () => {
    await page.keyboard.press('F1');
    const help = page.getByTestId('help');
    await expect.poll(() => help.isVisible()).toBe(true);
    for (const key of ['Alt+P', 'Alt+X', 'Alt+C', 'Alt+1…9', 'Alt+N', 'Alt+S', 'Alt+H']) {
      expect(await help.textContent()).toContain(key);
    }
    await screenshots(page, 'help-phone-keys');
    await page.keyboard.press('Escape');
    await expect.poll(() => help.isVisible()).toBe(false);
  });

  it('item 6: searches the directory as you type; imports a CSV all or nothing with an error per line; exports', async () => {
    await page.keyboard.press('Alt+KeyP');
    expect(await focused()).toBe('directory-search');
    await expect.poll(() => page.getByTestId('directory-results').textContent()).toContain('Aucune entrée');
    // Import: a file with one bad line is refused whole, each bad line named; then the good one.
    const bad = join(data, 'annuaire-faux.csv');
    writeFileSync(
      bad,
      'nom;service;numero;touche;notes\nPermanence labo;autre;1106;8;\nPhare;phare;12;;\nX;autre;1/2;;\n',
    );
    await page.getByTestId('directory-file').setInputFiles(bad);
    const notice = page.getByTestId('directory-notice');
    await expect
      .poll(() => notice.textContent())
      .toContain('Import refusé : 2 lignes en erreur, rien n’a été importé.');
    expect(await notice.textContent()).toContain('ligne 3 : service « phare » inconnu');
    expect(await notice.textContent()).toContain('ligne 4 : numéro « 1/2 »');
    expect(db().prepare('SELECT count(*) AS n FROM directory_entries').get()).toEqual({ n: 0 });
    const good = join(data, 'annuaire.csv');
    const sample = readFileSync(join(repoRoot, 'resources', 'directory-sample.csv'), 'utf8');
    writeFileSync(
      good,
      `${sample}Permanence labo transfert;autre;1106;8;Poste du labo\nAstreinte labo;autre;1107;9;\n`,
    );
    await page.getByTestId('directory-file').setInputFiles(good);
    await expect.poll(() => notice.textContent()).toContain('15 entrée(s) créée(s)');
    await page.getByTestId('directory-search').focus();
    await page.keyboard.type('gend');
    await expect
      .poll(() => page.getByTestId('directory-entry').allTextContents())
      .toEqual([expect.stringContaining('Gendarmerie — COG (FICTIF)')]);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('boulou');
    await expect.poll(() => page.getByTestId('directory-entry').first().textContent()).toContain('Boulouparis');
    await screenshots(page, 'directory-search');
    // A search the core refuses (longer than its 100 characters) says so instead of showing a stale list.
    await page.keyboard.press('Control+A');
    await page.keyboard.type('x'.repeat(101));
    await expect.poll(() => page.getByTestId('directory-search-error').textContent()).toContain('Recherche impossible');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('boulou');
    await expect.poll(() => page.getByTestId('directory-search-error').count()).toBe(0);
    // Export: a download of the directory in the import's format.
    const download = page.waitForEvent('download');
    await page.getByTestId('directory-export').focus();
    await page.keyboard.press('Enter');
    const file = await (await download).path();
    const exported = readFileSync(file, 'utf8');
    expect(exported.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('nom;service;numero;touche;notes');
    expect(exported).toContain('Permanence labo transfert;Autre;1106;8;Poste du labo');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('directory').isVisible()).toBe(false);
    // Reopened and typed into at once, as a fast operator does: the field holds what was typed, never the
    // previous search in front of it (it did, about one opening in ten: « labo transfertastreinte labo »).
    for (let i = 0; i < 10; i += 1) {
      await page.keyboard.press('Alt+KeyP');
      await page.keyboard.type(`samu ${i}`);
      expect(await page.getByTestId('directory-search').inputValue()).toBe(`samu ${i}`);
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByTestId('directory').isVisible()).toBe(false);
    }
  });

  it('item 5: DTMF from the dial pad, mute, blind transfer to a directory entry, a call out by the dial pad', async () => {
    expect(await mine().count()).toBe(1);
    // An entry written during the call, linked to it (shown in the history below).
    await page.keyboard.press('F8');
    await page.keyboard.type('Demande de transfert vers la permanence du labo');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByTestId('entry-row').first().textContent()).toContain('permanence du labo');

    await page.keyboard.press('Alt+KeyN');
    await expect.poll(() => page.getByTestId('dialpad').getAttribute('data-mode')).toBe('dtmf');
    await page.keyboard.type('12#');
    await expect.poll(() => dtmf.length, { timeout: 10_000 }).toBe(3);
    expect(dtmf.map((b) => /Signal=(.)/.exec(b)?.[1])).toEqual(['1', '2', '#']);
    expect(await page.getByTestId('dialpad-number').inputValue()).toBe('12#');
    await screenshots(page, 'dialpad-dtmf');
    await page.keyboard.press('Escape');

    await page.keyboard.press('Alt+KeyS');
    await page.getByTestId('muted').waitFor();
    await page.keyboard.press('Alt+KeyS');
    await expect.poll(() => page.getByTestId('muted').count()).toBe(0);

    await page.keyboard.press('Alt+KeyX');
    expect(await focused()).toBe('directory-search');
    await page.keyboard.type('labo transfert');
    await expect.poll(directoryShows, { timeout: 15_000 }).toMatch(/^« labo transfert » → 1106 \(/);
    await screenshots(page, 'transfer-target');
    await page.keyboard.press('Enter');
    await expect.poll(() => targetFrom, { timeout: 15_000 }).toEqual(['2105']);
    await expect.poll(() => mine().count(), { timeout: 15_000 }).toBe(0);
    const transferred = db().prepare("SELECT transferred_to AS t FROM calls WHERE cause = 'transferred'").get() as {
      t: string;
    }; // TEXT column (calls migration 0001)
    expect(transferred.t).toBe('1106');

    // A call out from the dial pad, by keyboard: Alt+N, the number, Entrée.
    await page.keyboard.press('Alt+KeyN');
    await expect.poll(() => page.getByTestId('dialpad').getAttribute('data-mode')).toBe('dial');
    await page.keyboard.type('1107');
    await page.keyboard.press('Enter');
    await expect.poll(stateAndFarEnd, { timeout: 15_000 }).toMatch(/^active /);
    await page.keyboard.press('F12');
    await expect.poll(() => mine().count(), { timeout: 15_000 }).toBe(0);
  });

  it('item 7: the history filters by number and outcome, shows the linked entry, calls back with Entrée', async () => {
    await page.keyboard.press('Alt+KeyH');
    expect(await focused()).toBe('history-list');
    const calls = page.getByTestId('history-call');
    await expect.poll(() => calls.count()).toBe(2);
    await page.getByTestId('history-number').focus();
    await page.keyboard.type('2105');
    await expect.poll(() => calls.count()).toBe(1);
    expect(await calls.first().textContent()).toContain('transféré');
    expect(await calls.first().textContent()).toContain('pris par Marie Wamytan');
    await expect
      .poll(() => page.getByTestId('history-entries').textContent())
      .toContain('Demande de transfert vers la permanence du labo');
    // Outcome filter: « occupé » matches none of these; back to all.
    await page.getByTestId('history-cause').focus();
    await page.keyboard.press('End');
    await expect.poll(() => page.getByTestId('history-list').textContent()).toContain('Aucun appel ne correspond');
    await page.keyboard.press('Home');
    await expect.poll(() => calls.count()).toBe(1);
    await screenshots(page, 'history');
    await page.getByTestId('history-list').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => callerInvites, { timeout: 15_000 }).toEqual(['1001']);
    await expect.poll(() => mine().first().getAttribute('data-state'), { timeout: 15_000 }).toBe('active');
    await page.keyboard.press('F12');
    await expect.poll(() => mine().count(), { timeout: 15_000 }).toBe(0);
    expect(inviter).toBeDefined();
  });

  it('item 5: attended transfer (Alt+X, Alt+C, then Alt+X) and a speed-dial key (Alt+9)', async () => {
    await callConsole();
    await expect.poll(() => page.getByTestId('queue').getByTestId('call').count(), { timeout: 15_000 }).toBe(1);
    await page.keyboard.press('F9');
    await expect.poll(() => mine().first().getAttribute('data-state'), { timeout: 10_000 }).toBe('active');
    const original = await mine().first().getAttribute('data-call-id');
    await page.keyboard.press('Alt+KeyX');
    await page.keyboard.type('astreinte labo');
    await expect.poll(directoryShows, { timeout: 15_000 }).toMatch(/^« astreinte labo » → 1107 \(/);
    await page.keyboard.press('Alt+KeyC');
    // The caller on hold, the target in conversation: the consultation is said in words.
    await page.getByTestId('consultation').waitFor({ timeout: 15_000 });
    await expect.poll(() => mine().count()).toBe(2);
    await expect
      .poll(
        () =>
          page.evaluate<string[]>(
            '[...document.querySelectorAll(\'[data-testid="mine"] [data-testid="call"]\')].map((e) => e.getAttribute(\'data-state\'))',
          ),
        { timeout: 15_000 },
      )
      .toEqual(expect.arrayContaining(['held', 'active']));
    await screenshots(page, 'transfer-attended');
    await page.keyboard.press('Alt+KeyX');
    await expect.poll(() => mine().count(), { timeout: 15_000 }).toBe(0);
    const row = db().prepare('SELECT cause, transferred_to AS t FROM calls WHERE id = ?').get(original) as {
      cause: string;
      t: string;
    }; // TEXT columns (calls migration 0001)
    expect(row).toEqual({ cause: 'transferred', t: '1107' });

    // Alt+9: the entry imported with key 9 (Astreinte labo, 1107), called at once.
    await page.keyboard.press('Alt+Digit9');
    await expect.poll(stateAndFarEnd, { timeout: 15_000 }).toMatch(/^active /);
    expect(await mine().first().textContent()).toContain('1107');
    await page.keyboard.press('F12');
    await expect.poll(() => mine().count(), { timeout: 15_000 }).toBe(0);
  });
});

/**
 * The operator's screen, issue 10 items 3 to 6, keyboard only, through the browser host and a Kamailio lab:
 * sign-in and shift with the focus kept, F1 map, Alt+L, Ctrl+Entrée from any field, ten rows and the details
 * pane at 1366×768, jj/mm/aaaa dates in an en-US browser, a draft that survives a reload, an entry written
 * during a call linked to it, the wrap-up (qualification, notes, « Inscrire en main courante »), and
 * callbacks ranked by risk, called back with one key and cleared only by an outcome.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labCall, labCallee, labDown, labUp, type LabCallee } from '../electron/lab/index.js';
import { removeDataDir } from '../electron/testing/data-dir.js';
import { launchChromium } from './support/chromium.js';
import { screenshots, SIZES } from './support/screenshots.js';
import { addUser } from './support/roster.js';
import { serve, type Served } from './support/serve.js';

describe('wrap-up, callbacks, keyboard and layout in Chromium against a real Kamailio', () => {
  let lab: string;
  let data: string;
  let served: Served;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let callee: LabCallee | null = null;
  const callers: Promise<unknown>[] = [];

  const focused = () =>
    page.evaluate<string>(
      "document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? 'none'",
    );
  const rows = () => page.getByTestId('entry-row');
  const db = () => new Database(join(data, 'vigie.db'), { readonly: true, fileMustExist: true });

  beforeAll(async () => {
    lab = mkdtempSync(join(tmpdir(), 'vigie-e2e-wrapup-lab-'));
    data = mkdtempSync(join(tmpdir(), 'vigie-e2e-wrapup-'));
    await labUp({ dir: lab });
    // On the roster before the console starts, as provisioning does it: nobody enrols at sign-in.
    addUser(data, 'Marie Wamytan', 'chef_de_salle', '2468');
    served = await serve(['--lab', lab, '--user', '1001', '--data', data]);
    // The page answers with its own audio (telephony media "renderer"): Chromium's fake microphone.
    chromium = await launchChromium({ media: true });
    page = await chromium.context.newPage();
    await page.setViewportSize(SIZES[0]);
  });

  afterAll(async () => {
    await page?.close();
    await chromium?.close();
    await served?.stop();
    callee?.stop();
    await Promise.allSettled(callers);
    await labDown({ dir: lab }).catch(() => undefined);
    rmSync(lab, { recursive: true, force: true });
    removeDataDir(data);
  });

  it('keeps the focus off the page body after signing in and opening the shift; F1 shows the map, Alt+L the list', async () => {
    await page.goto(served.url);
    expect(await page.evaluate<string>('navigator.language')).toMatch(/^en/);
    await page.getByTestId('status-telephony').getByText('enregistrée').waitFor({ timeout: 20_000 });
    await page.keyboard.press('F8');
    expect(await focused()).toBe('signin-name');
    await expect
      .poll(() => page.getByTestId('signin-name').locator('option').allTextContents())
      .toEqual(['Marie Wamytan — Chef de salle']);
    await page.keyboard.press('Tab');
    await page.keyboard.type('2468');
    await page.keyboard.press('Enter');
    await page.getByTestId('session-user').waitFor();
    await expect.poll(focused, { timeout: 3_000 }).toBe('entry-text');
    await page.getByTestId('shift-open').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('shift-state').textContent()).toContain('Vacation ouverte');
    await expect.poll(focused, { timeout: 3_000 }).not.toBe('BODY');

    await page.keyboard.press('F1');
    const help = page.getByTestId('help');
    await expect.poll(() => help.isVisible()).toBe(true);
    for (const key of ['F9', 'F10', 'F12', 'Ctrl+Entrée', 'Alt+L', 'Alt+R', 'Alt+Q', 'Alt+T', 'F6', 'Alt+M', 'Alt+A']) {
      expect(await help.textContent()).toContain(key);
    }
    await screenshots(page, 'help-f1');
    await page.keyboard.press('Escape');
    await expect.poll(() => help.isVisible()).toBe(false);
    await page.keyboard.press('Alt+KeyL');
    expect(await focused()).toBe('entry-list');
  });

  it('commits with Ctrl+Entrée from any field; ten rows and the details pane at 1366×768; jj/mm/aaaa dates', async () => {
    for (let i = 1; i <= 12; i++) {
      await page.keyboard.press('F8');
      await page.keyboard.type(`Point ${i} : moyens engagés sur Boulouparis`);
      // From the category list rather than the text box, for half of them.
      if (i % 2 === 0) await page.getByTestId('entry-category').focus();
      await page.keyboard.press('Control+Enter');
      await expect.poll(() => rows().first().textContent()).toContain(`Point ${i} :`);
      await expect.poll(focused, { timeout: 3_000 }).not.toBe('BODY');
    }
    await page.keyboard.press('Alt+KeyL');
    await page.keyboard.press('Home');
    // Rows wholly inside the list's box (a string expression: it runs in the page, this file is for Node).
    const visible = await page.evaluate<number>(`(() => {
      const box = document.querySelector('[data-testid="entry-list"]').getBoundingClientRect();
      return [...document.querySelectorAll('[data-testid="entry-row"]')].filter((e) => {
        const r = e.getBoundingClientRect();
        return r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
      }).length;
    })()`);
    console.log(`rangées entières visibles à 1366×768 : ${visible}`);
    expect(visible).toBeGreaterThanOrEqual(10);
    const details = await page.getByTestId('entry-details').boundingBox();
    expect(details?.width ?? 0).toBeGreaterThan(200);
    expect(details?.height ?? 0).toBeGreaterThan(100);
    expect((details?.y ?? 1e9) + (details?.height ?? 0)).toBeLessThanOrEqual(768);
    // Day first, in Nouméa time, though the browser is en-US.
    const writtenAt = db().prepare('SELECT at_ms AS ms FROM logbook_entries ORDER BY entry_no DESC LIMIT 1').get() as {
      ms: number;
    }; // at_ms INTEGER (logbook migration 0001): when it was written
    const p = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Pacific/Noumea',
        day: '2-digit',
        month: '2-digit',
        year: 'numeric',
      })
        .formatToParts(new Date(writtenAt.ms))
        .map((x) => [x.type, x.value]),
    );
    expect(await rows().first().textContent()).toContain(`${p.day}/${p.month}/${p.year}`);
    await screenshots(page, 'logbook-ten-rows');
  });

  it('keeps an unsent draft across a reload', async () => {
    await page.keyboard.press('F8');
    await page.keyboard.type('Brouillon : message de la mairie de Thio');
    await page.reload();
    await page.getByTestId('entry-text').waitFor();
    expect(await page.getByTestId('entry-text').inputValue()).toBe('Brouillon : message de la mairie de Thio');
    await page.keyboard.press('F8');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
  });

  it('links an entry written during a call to it, then wraps the call up with the keyboard', async () => {
    callers.push(labCall({ dir: lab, to: '1001', count: 1, ringS: 60, talkS: 8, line: '18', from: '0687555555' }));
    await expect.poll(() => page.getByTestId('queue').getByTestId('call').count(), { timeout: 15_000 }).toBe(1);
    await page.keyboard.press('F9');
    await expect.poll(() => page.getByTestId('mine').getByTestId('call').count(), { timeout: 10_000 }).toBe(1);
    const callId = await page.getByTestId('mine').getByTestId('call').first().getAttribute('data-call-id');
    await page.keyboard.press('F8');
    await page.keyboard.type('Feu de végétation signalé à Tomo');
    expect(await page.getByTestId('entry-call').getAttribute('data-call-id')).toBe(callId);
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => rows().first().textContent()).toContain('Tomo');
    const linked = db().prepare('SELECT call_id AS c FROM logbook_entries WHERE text LIKE ?').get('%Tomo%') as {
      c: string | null;
    }; // call_id TEXT (migration 0002)
    expect(linked.c).toBe(callId);

    // The caller hangs up after 8 s of talk: the call leaves « en ligne » and the wrap-up opens.
    await expect.poll(() => page.getByTestId('mine').count(), { timeout: 20_000 }).toBe(0);
    const wrap = page.getByTestId('wrapup');
    await wrap.waitFor();
    expect(await wrap.getAttribute('data-call-id')).toBe(callId);
    expect(await wrap.textContent()).toContain('l’appelant a raccroché');
    await page.keyboard.press('Alt+KeyQ');
    expect(await focused()).toBe('wrapup-qualification');
    await page.keyboard.press('ArrowDown'); // the first qualification of calls.options (Urgence)
    await page.keyboard.press('Tab'); // opération
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('wrapup-notes');
    await page.keyboard.type('Feu éteint par les riverains');
    await page.keyboard.press('Tab'); // clore
    await page.keyboard.press('Tab'); // inscrire en main courante
    expect(await focused()).toBe('wrapup-logbook');
    await screenshots(page, 'wrapup');
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('entry-text');
    const prefilled = await page.getByTestId('entry-text').inputValue();
    expect(prefilled).toContain('Appel 18 — Sapeurs-pompiers de 0687555555');
    expect(prefilled).toContain('Feu éteint par les riverains');
    expect(await page.getByTestId('entry-category').inputValue()).toBe('appel');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => rows().first().textContent()).toContain('Appel 18 — Sapeurs-pompiers de 0687555555');
    // Back to the wrap-up, commit it from the notes field with Ctrl+Entrée.
    await page.keyboard.press('Alt+KeyQ');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => wrap.count(), { timeout: 5_000 }).toBe(0);
    const call = db()
      .prepare(
        'SELECT qualification AS q, (SELECT text FROM call_notes WHERE call_id = calls.id) AS note FROM calls WHERE id = ?',
      )
      .get(callId) as { q: string | null; note: string | null }; // TEXT columns (calls migration 0003)
    expect(call).toEqual({ q: 'urgence', note: 'Feu éteint par les riverains' });
    const entries = db().prepare('SELECT count(*) AS n FROM logbook_entries WHERE call_id = ?').get(callId) as {
      n: number;
    };
    expect(entries.n).toBe(2);
  });

  it('ranks callbacks by risk, calls back with Alt+R, and clears one only with an outcome', async () => {
    // Two abandons from the same number on the standard, one on the 18 (after them): each rings 2 s.
    callers.push(
      labCall({ dir: lab, to: '1001', count: 2, rate: 2, ringS: 2, talkS: 1, line: '3000', from: '0687666666' }),
    );
    await Promise.all(callers.splice(0));
    callers.push(labCall({ dir: lab, to: '1001', count: 1, ringS: 2, talkS: 1, line: '18', from: '0687777777' }));
    await Promise.all(callers.splice(0));
    const callbacks = page.getByTestId('callback');
    await expect.poll(() => callbacks.count(), { timeout: 15_000 }).toBe(3);
    expect(
      await page.evaluate<string[]>(
        "[...document.querySelectorAll('[data-testid=\"callback\"]')].map((e) => e.getAttribute('data-number'))",
      ),
    ).toEqual(['0687777777', '0687666666', '0687666666']);
    expect(await callbacks.nth(1).textContent()).toContain('2 abandons de ce numéro');
    expect(await callbacks.first().getByTestId('callback-since').textContent()).toMatch(/abandon il y a 0:\d\d/);
    await screenshots(page, 'callbacks');

    // Alt+R calls back the first one (a lab callee answers as that number); hanging up does not clear it.
    callee = await labCallee({ dir: lab, user: '0687777777', mode: 'answer', count: 1 });
    await page.keyboard.press('Alt+KeyR');
    await expect.poll(() => page.getByTestId('mine').getByTestId('call').count(), { timeout: 15_000 }).toBe(1);
    await page.keyboard.press('F12');
    await expect.poll(() => page.getByTestId('mine').count(), { timeout: 15_000 }).toBe(0);
    expect(await callbacks.count()).toBe(3);
    // The wrap-up of the call back is left for later; the outcome clears the callback.
    await page.keyboard.press('F6');
    expect(await focused()).toBe('callback');
    await page.keyboard.press('Tab'); // Rappeler
    await page.keyboard.press('Tab'); // issue
    expect(await focused()).toBe('callback-outcome');
    await page.keyboard.press('ArrowDown'); // Rappelé — joint
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => callbacks.count(), { timeout: 10_000 }).toBe(2);
    expect(await callbacks.first().getAttribute('data-number')).toBe('0687666666');
  });
});

/**
 * Closing a shift (issue 10, items 4 and 11): the preview shows what the handover will hold; pending
 * callbacks go into it with the time of the abandon and the number once, and the entry reads so.
 */
import { describe, expect, it } from 'vitest';
import type { LogbookEntry } from '../../contract/logbook.js';
import type { HandoverPreview, Shift } from '../../contract/shift.js';
import { VigieError } from '../../contract/result.js';
import { appendText, logbookFixturePerTest, type LogbookFixture } from '../../testing/logbook-service.js';
import { signInAs } from '../../testing/roster.js';

const openFixture = logbookFixturePerTest();

const abandoned = (f: LogbookFixture, callId: string, number: string, name: string | null, at: string) => {
  f.store.append(
    'call.offered',
    {
      callId,
      sipCallId: `sip-${callId}`,
      direction: 'in',
      line: { number: '18', label: 'Pompiers 18', priority: 1, configured: true },
      caller: { number, name },
      at: Date.parse(at) - 30_000,
    },
    'vigie',
  );
  f.store.append('call.ended', { callId, cause: 'abandoned', at: Date.parse(at) }, 'vigie');
};

describe('shift.preview and the handover', () => {
  it('previews, then writes pending callbacks with their abandon time and the number once', async () => {
    const fixture = openFixture('2026-11-29T01:00:00Z');
    const { service, store } = fixture;
    const h = service.handlers;
    await signInAs(service, 'Paul Néaoutyine', 'operateur');
    expect(() => h['shift.preview']({})).toThrow(VigieError);
    await signInAs(service, 'Marie Wamytan', 'chef_de_salle');
    expect(() => h['shift.preview']({})).toThrow(/Aucune vacation ouverte/);
    h['shift.open']({ team: ['Marie Wamytan'] });
    appendText(service, 'Première inscription');
    // A caller whose "name" is the number itself (what an anonymous trunk sends), and a named one.
    abandoned(fixture, 'c1', '+687 27 00 00', '+687 27 00 00', '2026-11-29T00:40:00Z');
    abandoned(fixture, 'c2', '+687 78 12 34', 'Mairie de Thio', '2026-11-29T00:50:00Z');
    const before = store.count();

    const preview = h['shift.preview']({}) as HandoverPreview;
    expect(store.count()).toBe(before); // a preview writes nothing
    expect(preview.entries).toBe(2); // the opening and the entry
    expect(preview.pendingCallbacks).toEqual([
      {
        id: expect.any(String),
        number: '+687 27 00 00',
        label: 'Pompiers 18',
        abandonedAt: '2026-11-29T00:40:00.000Z',
        attempts: 0,
      },
      {
        id: expect.any(String),
        number: '+687 78 12 34',
        label: 'Pompiers 18 — Mairie de Thio',
        abandonedAt: '2026-11-29T00:50:00.000Z',
        attempts: 0,
      },
    ]);

    const closed = h['shift.close']({ consignes: 'Rappeler la mairie.' }) as Shift;
    expect(closed.handover?.pendingCallbacks).toEqual(preview.pendingCallbacks);
    const entry = (h['logbook.list']({}) as { entries: LogbookEntry[] }).entries[0];
    expect(entry?.kind).toBe('shift.close');
    // Nouméa time (UTC+11) of each abandon; the first number appears once only.
    expect(entry?.text).toContain('• Pompiers 18 : +687 27 00 00 — abandonné le 29/11/2026 11:40:00');
    expect(entry?.text).toContain('• Pompiers 18 — Mairie de Thio : +687 78 12 34 — abandonné le 29/11/2026 11:50:00');
    expect(entry?.text.split('+687 27 00 00').length).toBe(2);
    store.rebuild();
    expect((h['logbook.get']({ entryId: entry?.id ?? '' }) as LogbookEntry).text).toBe(entry?.text);
  });
});

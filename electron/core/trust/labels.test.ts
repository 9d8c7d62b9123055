import { describe, expect, it } from 'vitest';
import { useTempStores } from '../store/testing.js';
import { positionLabel } from './labels.js';

describe('a position named in an alarm', () => {
  const { open, tempDir } = useTempStores('vigie-labels-');

  it('is named as its own latest events name it, with the start of its id', () => {
    const store = open(tempDir());
    expect(positionLabel(store.db, store.origin)).toBe(store.origin);
    store.append('logbook.entry', { text: 'Prise de poste', category: 'information', position: 'Poste 1' }, 'Marie');
    store.append('logbook.entry', { text: 'Sans nom', category: 'information' }, 'Marie');
    expect(positionLabel(store.db, store.origin)).toBe(`« Poste 1 » (${store.origin.slice(0, 8)})`);
    store.append('logbook.entry', { text: 'Renommé', category: 'information', position: 'Poste 3' }, 'Marie');
    expect(positionLabel(store.db, store.origin)).toBe(`« Poste 3 » (${store.origin.slice(0, 8)})`);
  });

  it('keeps the whole id of a position the log has no name for', () => {
    const store = open(tempDir());
    const unknown = '0193a1b2-0000-7000-8000-000000000000';
    expect(positionLabel(store.db, unknown)).toBe(unknown);
  });
});

/**
 * Rattaching an existing entry to an operation (issue 10, item 11): a new event and a new entry; the entry
 * keeps its text and shows the operation, the filters and the search find it under the operation, a
 * rebuild gives the same, and a second link or a closed operation is refused.
 */
import { describe, expect, it } from 'vitest';
import type { LogbookEntry } from '../../contract/logbook.js';
import type { Operation } from '../../contract/operation.js';
import { appendText, logbookFixturePerTest, refusal } from '../../testing/logbook-service.js';
import { signInAs } from '../../testing/roster.js';

const openFixture = logbookFixturePerTest();

describe('logbook.linkOperation', () => {
  it('links once, as a new entry; the entry shows the operation in lists, filters and search, also after a rebuild', async () => {
    const { service, store, events } = openFixture();
    const h = service.handlers;
    await signInAs(service, 'Marie Wamytan', 'chef_de_salle');
    const entry = appendText(service, 'Fumée signalée route de Tontouta');
    const op = h['operation.create']({
      title: 'Feu de brousse Païta',
      type: 'feu de brousse',
      communeId: 'paita',
    }) as Operation;
    const before = store.count();

    const link = h['logbook.linkOperation']({ entryId: entry.id, operationId: op.operationId }) as LogbookEntry;
    expect(store.count()).toBe(before + 1);
    expect(link).toMatchObject({ kind: 'operation.link', operationId: op.operationId, author: 'Marie Wamytan' });
    expect(link.text).toBe(`Inscription ${entry.reference} rattachée à l’opération « Feu de brousse Païta ».`);
    const linked = h['logbook.get']({ entryId: entry.id }) as LogbookEntry;
    expect(linked).toMatchObject({ text: entry.text, writtenAt: entry.writtenAt, operationId: op.operationId });
    // The screen hears both: the new entry and the one rattachée.
    const sent = events.flatMap((e) => (e.type === 'logbook.entry' ? [e.entry.id] : []));
    expect(sent.slice(-2)).toEqual([link.id, entry.id]);

    const byOperation = () => {
      const list = h['logbook.list']({ filters: { operationId: op.operationId } });
      const search = h['logbook.search']({ query: 'tontouta', filters: { operationId: op.operationId } });
      if (!('entries' in list) || !('entries' in search)) throw new Error('réponse inattendue');
      return { list: list.entries.map((e) => e.id), search: search.entries.map((e) => e.id) };
    };
    // Newest first: the link, the opening of the operation, then the entry written before it.
    const { list, search } = byOperation();
    expect(list.length).toBe(3);
    expect([list[0], list[2]]).toEqual([link.id, entry.id]);
    expect(search).toEqual([entry.id]);
    store.rebuild();
    expect(byOperation().search).toEqual([entry.id]);
    expect((h['logbook.get']({ entryId: entry.id }) as LogbookEntry).operationId).toBe(op.operationId);

    expect(
      refusal(() => h['logbook.linkOperation']({ entryId: entry.id, operationId: op.operationId })).message,
    ).toMatch(/déjà rattachée à l’opération « Feu de brousse Païta »/);
    const other = appendText(service, 'Autre inscription');
    h['operation.close']({ operationId: op.operationId });
    expect(refusal(() => h['logbook.linkOperation']({ entryId: other.id, operationId: op.operationId })).code).toBe(
      'conflict',
    );
  });
});

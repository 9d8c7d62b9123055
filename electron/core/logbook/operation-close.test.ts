/**
 * Closing an operation (issue 10, item 11): the chef de salle only — not an operator, not a technician —
 * and its summary (entries, calls, duration) is what the confirmation shows.
 */
import { describe, expect, it } from 'vitest';
import type { Operation, OperationSummary } from '../../contract/operation.js';
import { appendText, logbookFixturePerTest, refusal } from '../../testing/logbook-service.js';
import { signInAs } from '../../testing/roster.js';

const openFixture = logbookFixturePerTest();

describe('operation.close', () => {
  it('is refused to the operator and the technician, with who may; the chef de salle closes it', async () => {
    const { service, clock } = openFixture();
    const h = service.handlers;
    const operator = await signInAs(service, 'Paul Néaoutyine', 'operateur');
    expect(operator.permissions.closeOperation).toBe(false);
    const op = h['operation.create']({
      title: 'Inondation Houaïlou',
      type: 'inondation',
      communeId: 'houailou',
    }) as Operation;
    appendText(service, 'Radier submergé', { operationId: op.operationId });
    clock.advance(2 * 3600_000 + 5 * 60_000);

    const e1 = refusal(() => h['operation.close']({ operationId: op.operationId }));
    expect(e1.code).toBe('forbidden');
    expect(e1.message).toBe('Le rôle opérateur ne permet pas de clore une opération (réservé : chef de salle).');
    await signInAs(service, 'Jean Tein', 'technicien');
    expect(refusal(() => h['operation.close']({ operationId: op.operationId })).code).toBe('forbidden');

    const chef = await signInAs(service, 'Marie Wamytan', 'chef_de_salle');
    expect(chef.permissions.closeOperation).toBe(true);
    const summary = h['operation.summary']({ operationId: op.operationId }) as OperationSummary;
    // The opening entry and the one written in it; no calls module here.
    expect(summary).toMatchObject({ entries: 2, calls: 0, durationMs: 2 * 3600_000 + 5 * 60_000 });
    const closed = h['operation.close']({ operationId: op.operationId, summary: 'Décrue' }) as Operation;
    expect(closed).toMatchObject({ status: 'close', closedBy: 'Marie Wamytan' });
    expect((h['operation.summary']({ operationId: op.operationId }) as OperationSummary).entries).toBe(3);
  });
});

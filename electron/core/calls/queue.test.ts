import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareQueueItems, orderQueue, pickNext, type QueueItem } from './queue.js';

const item = fc.record({
  id: fc.uuid(),
  priority: fc.integer({ min: 0, max: 5 }),
  offeredAt: fc.integer({ min: 0, max: 50 }),
  arrival: fc.nat(1000),
});
const uniqueItems = fc.uniqueArray(item, { selector: (x) => x.id, maxLength: 40 });

describe('queue order', () => {
  it('puts higher priority first, then longer waiting', () => {
    const items: QueueItem[] = [
      { id: 'admin-old', priority: 10, offeredAt: 1, arrival: 1 },
      { id: '18-new', priority: 100, offeredAt: 9, arrival: 3 },
      { id: '18-old', priority: 100, offeredAt: 5, arrival: 2 },
    ];
    expect(orderQueue(items).map((x) => x.id)).toEqual(['18-old', '18-new', 'admin-old']);
    expect(pickNext(items)?.id).toBe('18-old');
    expect(pickNext([])).toBeUndefined();
  });

  it('property: the ordered queue is sorted by (priority desc, offeredAt asc)', () => {
    fc.assert(
      fc.property(uniqueItems, (items) => {
        const ordered = orderQueue(items);
        expect(ordered).toHaveLength(items.length);
        for (let i = 1; i < ordered.length; i++) {
          const a = ordered[i - 1];
          const b = ordered[i];
          if (a === undefined || b === undefined) throw new Error('index hors limites');
          expect(a.priority > b.priority || (a.priority === b.priority && a.offeredAt <= b.offeredAt)).toBe(true);
        }
      }),
    );
  });

  it('property: answer-next is the head of the ordered queue, and no call outranks it', () => {
    fc.assert(
      fc.property(uniqueItems, (items) => {
        const next = pickNext(items);
        expect(next).toEqual(orderQueue(items)[0]);
        if (next === undefined) return;
        for (const other of items) {
          expect(other.priority > next.priority).toBe(false);
          if (other.priority === next.priority) expect(other.offeredAt >= next.offeredAt).toBe(true);
        }
      }),
    );
  });

  it('property: the order does not depend on the input order (total order)', () => {
    fc.assert(
      fc.property(uniqueItems, fc.infiniteStream(fc.nat()), (items, seeds) => {
        const shuffled = [...items]
          .map((x) => [x, seeds.next().value] as const)
          .sort((a, b) => a[1] - b[1])
          .map((x) => x[0]);
        expect(orderQueue(shuffled).map((x) => x.id)).toEqual(orderQueue(items).map((x) => x.id));
      }),
    );
  });

  it('property: comparison is antisymmetric', () => {
    fc.assert(
      fc.property(item, item, (a, b) => {
        expect(Math.sign(compareQueueItems(a, b))).toBe(-Math.sign(compareQueueItems(b, a)));
      }),
    );
  });

  it('property: answering the head repeatedly drains the queue in order', () => {
    fc.assert(
      fc.property(uniqueItems, (items) => {
        const left = [...items];
        const drained: string[] = [];
        for (let n = pickNext(left); n !== undefined; n = pickNext(left)) {
          drained.push(n.id);
          left.splice(left.indexOf(n), 1);
        }
        expect(drained).toEqual(orderQueue(items).map((x) => x.id));
      }),
    );
  });
});

/**
 * The call queue's order, as pure functions: every ringing call in one list, the most urgent line
 * first, then the caller who has waited longest. "Answer next" takes the head of that list.
 */

export interface QueueItem {
  id: string;
  /** Line priority: higher = more urgent. */
  priority: number;
  /** Wall clock when the call was offered (ms since epoch). */
  offeredAt: number;
  /** Arrival order in this process: breaks ties between calls offered in the same millisecond. */
  arrival: number;
}

/** Total order: priority descending, then offeredAt ascending, then arrival, then id. */
export const compareQueueItems = (a: QueueItem, b: QueueItem): number =>
  b.priority - a.priority ||
  a.offeredAt - b.offeredAt ||
  a.arrival - b.arrival ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export const orderQueue = <T extends QueueItem>(items: readonly T[]): T[] => [...items].sort(compareQueueItems);

/** The call "answer next" picks: highest priority, longest waiting. Undefined when nothing rings. */
export const pickNext = <T extends QueueItem>(items: readonly T[]): T | undefined => {
  let best: T | undefined;
  for (const item of items) if (best === undefined || compareQueueItems(item, best) < 0) best = item;
  return best;
};

import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../store/types.js';
import { SLICE_MS, startReactors } from './reactors.js';

/** A store reduced to its append notifications: what startReactors listens to. */
const fakeStore = () => {
  const listeners: ((event: StoredEvent) => void)[] = [];
  return {
    onAppend(listener: (event: StoredEvent) => void) {
      listeners.push(listener);
      return () => void listeners.splice(listeners.indexOf(listener), 1);
    },
    commit: (event: StoredEvent) => listeners.forEach((l) => l(event)),
  };
};

const event = (n: number): StoredEvent => ({
  origin: 'o',
  seq: n,
  id: `e${n}`,
  hlc: String(n).padStart(15, '0'),
  type: 'probe.ping',
  author: 'test',
  payload: { n },
  prevHash: '',
  hash: '',
});

const busy = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe('reactors on a large batch', () => {
  it('react in commit order and let the event loop through between slices', async () => {
    const store = fakeStore();
    const seen: number[] = [];
    let reactedWhenTimerRan = -1;
    const runner = startReactors(
      store,
      [
        {
          module: 'probe',
          reactor: {
            name: 'slow',
            types: ['probe.ping'],
            react: (e) => {
              busy(1);
              seen.push((e.payload as { n: number }).n); // built by event() above
            },
          },
        },
      ],
      () => undefined,
    );
    const count = 20 * SLICE_MS;
    for (let n = 1; n <= count; n++) store.commit(event(n));
    // A message arriving meanwhile (the screen's command, the SIP child's): served long before the end.
    setImmediate(() => (reactedWhenTimerRan = seen.length));
    await runner.idle();
    runner.stop();
    expect(seen).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(reactedWhenTimerRan).toBeGreaterThan(0);
    expect(reactedWhenTimerRan).toBeLessThan(count / 2);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBurstGate } from './burst.js';

describe('burst gate', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets a room’s pace through, holds a burst back past `max` a window, and calls trailing once for it', () => {
    vi.useFakeTimers();
    let t = 0;
    const trailing = vi.fn();
    const gate = createBurstGate({ max: 3, windowMs: 1000, trailingMs: 200, trailing, now: () => t });
    expect([gate.pass(), gate.pass(), gate.pass()]).toEqual([true, true, true]);
    expect(Array.from({ length: 500 }, () => gate.pass()).some(Boolean)).toBe(false);
    expect(trailing).not.toHaveBeenCalled();
    vi.advanceTimersByTime(200);
    expect(trailing).toHaveBeenCalledTimes(1);
    // A new window: events pass again; nothing held back, no second trailing call.
    t = 1000;
    expect(gate.pass()).toBe(true);
    vi.advanceTimersByTime(1000);
    expect(trailing).toHaveBeenCalledTimes(1);
    // Held back again later: one more trailing call.
    gate.pass();
    gate.pass();
    expect(gate.pass()).toBe(false);
    vi.advanceTimersByTime(200);
    expect(trailing).toHaveBeenCalledTimes(2);
  });

  it('calls nothing once closed', () => {
    vi.useFakeTimers();
    const trailing = vi.fn();
    const gate = createBurstGate({ max: 1, windowMs: 1000, trailingMs: 100, trailing, now: () => 0 });
    gate.pass();
    expect(gate.pass()).toBe(false);
    gate.close();
    vi.advanceTimersByTime(1000);
    expect(trailing).not.toHaveBeenCalled();
  });
});

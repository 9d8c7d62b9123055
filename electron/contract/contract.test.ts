import { describe, expect, it } from 'vitest';
import { clientFrameSchema } from './wire.js';
import { isMethod, requestSchemas } from './index.js';

describe('contract', () => {
  it('knows its methods and nothing else', () => {
    expect(isMethod('status.get')).toBe(true);
    expect(isMethod('toString')).toBe(false);
    expect(isMethod('__proto__')).toBe(false);
  });

  it('refuses unexpected keys in arguments', () => {
    expect(requestSchemas['status.get'].safeParse({}).success).toBe(true);
    expect(requestSchemas['status.get'].safeParse({ extra: 1 }).success).toBe(false);
  });

  it('accepts only well-formed WebSocket frames', () => {
    expect(clientFrameSchema.safeParse({ id: 1, method: 'status.get', args: {} }).success).toBe(true);
    expect(clientFrameSchema.safeParse({ id: -1, method: 'status.get', args: {} }).success).toBe(false);
    expect(clientFrameSchema.safeParse({ id: 1.5, method: 'status.get' }).success).toBe(false);
    expect(clientFrameSchema.safeParse({ id: 1, method: 'x'.repeat(101) }).success).toBe(false);
    expect(clientFrameSchema.safeParse({ id: 1, method: 'status.get', args: {}, more: true }).success).toBe(false);
  });
});

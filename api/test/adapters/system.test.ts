import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/adapters/system/clock.ts';
import { createIdGenerator } from '../../src/adapters/system/ids.ts';
import { ManualClock } from './manual-clock.ts';

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('system ids', () => {
  it('are unique, URL-safe UUIDv7 strings that sort in creation order', () => {
    const ids = createIdGenerator();
    const issued = Array.from({ length: 10_000 }, () => ids.next());
    expect(new Set(issued).size).toBe(issued.length);
    for (const id of issued) {
      expect(id).toMatch(uuidV7);
      expect(encodeURIComponent(id)).toBe(id);
    }
    expect([...issued].sort()).toEqual(issued);
  });

  it('carry the clock in their first 48 bits, and keep increasing when it stalls or steps back', () => {
    const clock = new ManualClock();
    const ids = createIdGenerator(clock);
    const first = ids.next();
    expect(Number.parseInt(first.replace('-', '').slice(0, 12), 16)).toBe(clock.now().getTime());
    const issued = [first];
    for (let index = 0; index < 1000; index += 1) issued.push(ids.next());
    clock.advance(-5000);
    for (let index = 0; index < 1000; index += 1) issued.push(ids.next());
    expect([...issued].sort()).toEqual(issued);
    expect(new Set(issued).size).toBe(issued.length);
  });
});

describe('system clock', () => {
  it('tells the current time', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});

/** The size profile derived from a member's events: counts per label, whatever the label is called. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { sizeProfileFromEvents } from '../src/core/member-derived.ts';
import { FIT_VALUES, type VitrineEvent } from '../src/core/types.ts';

type SizedEvent = Pick<VitrineEvent, 'type' | 'size' | 'fit'>;

it('counts rents and fit reports per size label (known answer)', () => {
  const events: SizedEvent[] = [
    { type: 'rent', size: '8' }, { type: 'rent', size: '8', fit: 'small' }, { type: 'return', size: '8', fit: 'small' },
    { type: 'rent', size: '__proto__', fit: 'large' }, { type: 'view', size: 'toString' }, { type: 'rent' },
  ];
  const profile = sizeProfileFromEvents(events);
  assert.equal(JSON.stringify(profile),
    '{"8":{"rents":2,"small":2,"fit":0,"large":0},"__proto__":{"rents":1,"small":0,"fit":0,"large":1},"toString":{"rents":0,"small":0,"fit":0,"large":0}}');
  assert.equal(({} as Record<string, unknown>).rents, undefined);
});

it('for any labels, prototype names included: one own entry per label, counts that add up, Object.prototype untouched', () => {
  const label = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'), fc.string({ minLength: 1, maxLength: 4 }));
  const event = fc.record({ type: fc.constantFrom('rent', 'return', 'view'), size: label, fit: fc.option(fc.constantFrom(...FIT_VALUES), { nil: undefined }) })
    .map((e) => (e.fit === undefined ? { type: e.type, size: e.size } : e) as SizedEvent);
  fc.assert(fc.property(fc.array(event, { maxLength: 30 }), (events) => {
    const profile = sizeProfileFromEvents(events);
    assert.deepEqual(Object.keys(profile).sort(), [...new Set(events.map((e) => e.size as string))].sort());
    for (const [size, entry] of Object.entries(profile)) {
      const mine = events.filter((e) => e.size === size);
      assert.equal(entry.rents, mine.filter((e) => e.type === 'rent').length);
      for (const fit of FIT_VALUES) assert.equal(entry[fit], mine.filter((e) => e.fit === fit).length);
    }
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).filter((k) => ['rents', 'small', 'fit', 'large'].includes(k)), []);
  }), { numRuns: 300 });
});

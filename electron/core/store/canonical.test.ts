import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.js';
import { eventCanonicalJson, eventHash, GENESIS_HASH } from './chain.js';

describe('canonical JSON', () => {
  it('sorts keys by UTF-16 code units at every level, without whitespace', () => {
    expect(
      canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null }, A: true, é: 'x', '\u{1F600}': 1, '\uFFFF': 2 }),
    ).toBe('{"A":true,"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1,"é":"x","\u{1F600}":1,"\uFFFF":2}');
  });

  it('writes numbers as ECMAScript Number::toString (RFC 8785 §3.2.2.3)', () => {
    expect(canonicalJson([0, -0, 1, -1.5, 1e21, 1e-7, 123456789012345680000, 0.1 + 0.2, 5e-324])).toBe(
      '[0,0,1,-1.5,1e+21,1e-7,123456789012345680000,0.30000000000000004,5e-324]',
    );
  });

  it('escapes only quote, backslash and control characters, and does not normalise Unicode', () => {
    expect(canonicalJson('a"b\\c\n\t\u0001\u001f\u007f€')).toBe('"a\\"b\\\\c\\n\\t\\u0001\\u001f\u007f€"');
    const nfc = 'é';
    const nfd = 'e\u0301';
    expect(canonicalJson(nfd)).not.toBe(canonicalJson(nfc));
    expect(canonicalJson('\ud800')).toBe('"\\ud800"');
  });

  it('omits undefined members and refuses values JSON cannot carry faithfully', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    for (const bad of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      10n,
      new Date(0),
      new Map(),
      [undefined],
      () => 1,
      Symbol('s'),
    ]) {
      expect(() => canonicalJson({ x: bad })).toThrow(TypeError);
    }
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });

  it('is stable: parse then canonicalise again gives the same text (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 500 },
    );
  });

  it('event hash covers every field: changing any one changes the hash', () => {
    const e = { origin: 'o', seq: 1, id: 'i', hlc: 'h', type: 't', author: 'a', payloadJson: '{"text":"x"}' };
    expect(eventCanonicalJson(e)).toBe(canonicalJson({ ...e, payloadJson: undefined, payload: { text: 'x' } }));
    const base = eventHash(GENESIS_HASH, e);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    const variants = [
      eventHash('1'.repeat(64), e),
      eventHash(GENESIS_HASH, { ...e, origin: 'p' }),
      eventHash(GENESIS_HASH, { ...e, seq: 2 }),
      eventHash(GENESIS_HASH, { ...e, id: 'j' }),
      eventHash(GENESIS_HASH, { ...e, hlc: 'g' }),
      eventHash(GENESIS_HASH, { ...e, type: 'u' }),
      eventHash(GENESIS_HASH, { ...e, author: 'b' }),
      eventHash(GENESIS_HASH, { ...e, payloadJson: '{"text":"y"}' }),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('matches the test vector of README.md (checked independently with `sha256sum`)', () => {
    const first = {
      origin: '00000000-0000-4000-8000-000000000000',
      seq: 1,
      id: '01900000-0000-7000-8000-000000000000',
      hlc: '001719000000000-00000',
      type: 'logbook.entry',
      author: 'Marie',
      payloadJson: canonicalJson({ text: 'Départ VSAV', category: 'intervention' }),
    };
    expect(eventCanonicalJson(first)).toBe(
      '{"author":"Marie","hlc":"001719000000000-00000","id":"01900000-0000-7000-8000-000000000000",' +
        '"origin":"00000000-0000-4000-8000-000000000000","payload":{"category":"intervention","text":"Départ VSAV"},"seq":1,"type":"logbook.entry"}',
    );
    const h1 = eventHash(GENESIS_HASH, first);
    expect(h1).toBe('59c93a9c30363c55d702a44e31d78f47ea35b1eaf9cd27bc71a1c78e8d7917c0');
    const second = {
      ...first,
      seq: 2,
      id: '01900000-0000-7000-8000-000000000001',
      hlc: '001719000000000-00001',
      payloadJson: canonicalJson({ text: 'Retour', category: 'information' }),
    };
    expect(eventHash(h1, second)).toBe('72cb0d2c329aff3344a95686f87aab9ae99de9e87952b6bc7ea1151896256b65');
  });
});

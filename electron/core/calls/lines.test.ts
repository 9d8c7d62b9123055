import { describe, expect, it } from 'vitest';
import { headerReaderFromRecord, linesConfigSchema, numberFromHeaderValue, resolveLine } from './lines.js';

const config = linesConfigSchema.parse({
  lines: [
    { number: '18', label: 'Pompiers 18', priority: 100 },
    { number: '112', label: 'Urgences 112', priority: 100 },
    { number: '+687 27 00 00', label: 'Standard DSCGR', priority: 10 },
  ],
});

describe('numberFromHeaderValue', () => {
  it('reads the user part of sip, sips and tel URIs, with or without name-addr', () => {
    expect(numberFromHeaderValue('"Pompiers" <sip:18@10.0.0.1;user=phone>;tag=abc')).toBe('18');
    expect(numberFromHeaderValue('sip:112@host')).toBe('112');
    expect(numberFromHeaderValue('<tel:+687-27.00.00>')).toBe('+687270000');
    expect(numberFromHeaderValue('<sips:1001@host>')).toBe('1001');
  });
  it('returns null for what is not a number', () => {
    expect(numberFromHeaderValue('<sip:host>')).toBeNull();
    expect(numberFromHeaderValue('garbage')).toBeNull();
    expect(numberFromHeaderValue('<sip:%E0%A4%A@host>')).toBeNull();
    expect(numberFromHeaderValue('<sip:anonymous@anonymous.invalid>')).toBeNull();
  });
});

describe('resolveLine', () => {
  it('maps To to a configured line', () => {
    const r = resolveLine(headerReaderFromRecord({ To: '<sip:18@pbx>' }), config);
    expect(r).toEqual({ number: '18', label: 'Pompiers 18', priority: 100, source: 'to', configured: true });
  });
  it('prefers P-Called-Party-ID over To by default', () => {
    const r = resolveLine(
      headerReaderFromRecord({ To: '<sip:1001@pbx>', 'p-called-party-id': '<sip:112@pbx>' }),
      config,
    );
    expect(r.label).toBe('Urgences 112');
    expect(r.source).toBe('p-called-party-id');
  });
  it('takes the original (last) Diversion entry', () => {
    const r = resolveLine(
      headerReaderFromRecord({
        To: '<sip:1001@pbx>',
        Diversion: '<sip:2000@pbx>;reason=unconditional, "x,y" <tel:+687270000>;reason=no-answer',
      }),
      config,
    );
    expect(r.label).toBe('Standard DSCGR');
    expect(r.source).toBe('diversion');
  });
  it('honours a configured order', () => {
    const toFirst = linesConfigSchema.parse({ ...config, calledNumberFrom: ['to', 'p-called-party-id'] });
    const r = resolveLine(
      headerReaderFromRecord({ To: '<sip:18@pbx>', 'P-Called-Party-ID': '<sip:112@pbx>' }),
      toFirst,
    );
    expect(r.label).toBe('Pompiers 18');
  });
  it('falls back to the default line with the first number read', () => {
    const r = resolveLine(headerReaderFromRecord({ To: '<sip:1001@pbx>' }), config);
    expect(r).toEqual({ number: '1001', label: 'Ligne non configurée', priority: 0, source: 'to', configured: false });
    const none = resolveLine(headerReaderFromRecord({}), config);
    expect(none).toMatchObject({ number: '', source: null, configured: false });
  });
  it('skips a source that names no configured line and keeps looking', () => {
    const r = resolveLine(
      headerReaderFromRecord({ 'P-Called-Party-ID': '<sip:9999@pbx>', To: '<sip:18@pbx>' }),
      config,
    );
    expect(r.label).toBe('Pompiers 18');
  });
});

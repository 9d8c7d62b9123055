import { describe, expect, it } from 'vitest';
import { lossText, restoreText, summaryText } from './texts.js';

// 2026-12-01 03:02:11 UTC = 14:02:11 in Nouméa (UTC+11).
const at = Date.UTC(2026, 11, 1, 3, 2, 11);
const fault = { check: 'telephony', kind: 'telephony' as const, label: 'Téléphonie IP', detail: '', since: at };

describe('automatic entries', () => {
  it('says the loss and the return with Nouméa times', () => {
    expect(lossText(fault)).toBe('Perte de la téléphonie IP à 14:02:11');
    expect(lossText({ ...fault, detail: ' connexion fermée ' })).toBe(
      'Perte de la téléphonie IP à 14:02:11 (connexion fermée)',
    );
    expect(restoreText(fault, at + 42 * 60_000 + 10_000)).toBe('Rétablissement de la téléphonie IP à 14:44:21');
    expect(lossText({ ...fault, check: 'host:central', kind: 'host', label: 'central (10.0.0.5:5060)' })).toBe(
      'Perte de l’hôte central (10.0.0.5:5060) à 14:02:11',
    );
  });

  it('writes the summary with the counts and French plurals', () => {
    expect(summaryText({ entries: 12, manualCalls: 5, durationMs: (42 * 60 + 10) * 1000 })).toBe(
      'Pendant la coupure : 12 inscriptions, 5 appels manuels, durée 00:42:10',
    );
    expect(summaryText({ entries: 1, manualCalls: 0, durationMs: 61_000 })).toBe(
      'Pendant la coupure : 1 inscription, 0 appel manuel, durée 00:01:01',
    );
  });
});

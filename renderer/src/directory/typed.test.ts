import { describe, expect, it } from 'vitest';
import { historyArgs } from '../history/HistoryDialog.js';
import { speedDialCode } from '../shortcuts.js';
import { typedNumber } from './useDirectory.js';

describe('what the operator types in the directory and history', () => {
  it('takes a typed number as a number to dial, a name as a search', () => {
    expect(typedNumber('+687 27 00 00')).toBe('+687270000');
    expect(typedNumber('1106')).toBe('1106');
    expect(typedNumber('*21#')).toBe('*21#');
    expect(typedNumber('gend')).toBeNull();
    expect(typedNumber('SDIS 18')).toBeNull();
    expect(typedNumber('1')).toBeNull();
  });

  it('maps Alt+1 … Alt+9 by key position, top row or keypad, and nothing else', () => {
    expect(speedDialCode('Digit1')).toBe(1);
    expect(speedDialCode('Numpad9')).toBe(9);
    expect(speedDialCode('Digit0')).toBeNull();
    expect(speedDialCode('KeyP')).toBeNull();
  });

  it('leaves empty history filters out of calls.list', () => {
    expect(historyArgs({ line: '', qualification: '', cause: '', number: ' ' })).toEqual({ limit: 200 });
    expect(historyArgs({ line: '18', qualification: 'urgence', cause: 'abandoned', number: ' 0687 ' })).toEqual({
      limit: 200,
      line: '18',
      qualification: 'urgence',
      cause: 'abandoned',
      number: '0687',
    });
  });
});

import { readSetting, writeSetting } from '../settings.js';

/** The unsent entry, kept in the page so that a reload (or a crash of the page) does not lose it. */
export interface Draft {
  text: string;
  category: string;
  important: boolean;
  factAt: string;
  operationId: string;
  callId: string;
}

export const emptyDraft = (category: string): Draft => ({
  text: '',
  category,
  important: false,
  factAt: '',
  operationId: '',
  callId: '',
});

const KEY = 'logbook.draft';

export const loadDraft = (fallbackCategory: string): Draft => {
  const empty = emptyDraft(fallbackCategory);
  const raw = readSetting(KEY);
  if (raw === null) return empty;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return empty;
    const pick = <K extends keyof Draft>(key: K): Draft[K] => {
      const v: unknown = Reflect.get(value, key);
      return typeof v === typeof empty[key] ? (v as Draft[K]) : empty[key]; // same primitive type, checked
    };
    return {
      text: pick('text'),
      category: pick('category'),
      important: pick('important'),
      factAt: pick('factAt'),
      operationId: pick('operationId'),
      callId: pick('callId'),
    };
  } catch {
    return empty;
  }
};

export const saveDraft = (draft: Draft): void =>
  writeSetting(KEY, draft.text === '' && draft.factAt === '' ? null : JSON.stringify(draft));

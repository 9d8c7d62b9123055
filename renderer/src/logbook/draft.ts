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

/**
 * The box once `sent` is committed, `now` being what it holds at that moment: the operator may have
 * gone on typing the next entry while the first was being saved. The sent text is taken off the front;
 * any other field still as it was sent goes back to its default, one changed since is the next entry's.
 */
export const afterCommit = (sent: Draft, now: Draft, category: string): Draft => {
  const empty = emptyDraft(category);
  const text = now.text.startsWith(sent.text) ? now.text.slice(sent.text.length).replace(/^\s+/, '') : now.text;
  const keep = <K extends keyof Draft>(key: K): Draft[K] => (now[key] !== sent[key] ? now[key] : empty[key]);
  return {
    text,
    category: keep('category'),
    important: keep('important'),
    factAt: keep('factAt'),
    operationId: keep('operationId'),
    callId: text === '' ? '' : keep('callId'),
  };
};

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

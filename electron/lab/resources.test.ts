import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labResourcesDir, outsideAsar } from './resources.js';

describe('lab resources', () => {
  it('are found from the sources, with the SIPp scenarios in them', () => {
    expect(existsSync(join(labResourcesDir(), 'uas-answer.xml'))).toBe(true);
  });

  it('are read from app.asar.unpacked in the packaged app, where external programs can open them', () => {
    expect(outsideAsar('/opt/Vigie/resources/app.asar')).toBe('/opt/Vigie/resources/app.asar.unpacked');
    expect(outsideAsar('C:\\Program Files\\Vigie\\resources\\app.asar')).toBe(
      'C:\\Program Files\\Vigie\\resources\\app.asar.unpacked',
    );
    expect(outsideAsar('/home/tech/vigie')).toBe('/home/tech/vigie');
    expect(outsideAsar('/home/tech/app.asar.d')).toBe('/home/tech/app.asar.d');
  });
});

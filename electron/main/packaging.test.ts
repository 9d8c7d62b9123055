import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The packaged app's Electron fuses (electron-builder.yml `electronFuses`). Read as text, one
 * `key: value` per line under the block: the packaging tool is not a dependency of the tests.
 */
const fuses = (): Record<string, string> => {
  const text = readFileSync(fileURLToPath(new URL('../../electron-builder.yml', import.meta.url)), 'utf8');
  const block = /^electronFuses:\n((?: {2}\w+: \w+\n?)+)/m.exec(text)?.[1] ?? '';
  return Object.fromEntries(
    block
      .split('\n')
      .map((line) => /^ {2}(\w+): (\w+)$/.exec(line))
      .flatMap((m) => (m === null || m[1] === undefined || m[2] === undefined ? [] : [[m[1], m[2]]])),
  );
};

describe('packaging', () => {
  it('flips the Electron fuses: no run-as-node, cookies encrypted, asar only and checked', () => {
    expect(fuses()).toMatchObject({
      runAsNode: 'false',
      enableCookieEncryption: 'true',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
    });
  });
});

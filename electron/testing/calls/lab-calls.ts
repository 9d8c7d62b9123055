/**
 * Shared set-up of the lab call tests (electron/core/telephony/*.lab.test.ts): one Kamailio for the file,
 * positions made of a real core and a supervised SIP child, and the call-event predicates the tests wait on.
 * Test scaffolding, left out of the package.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { CallsEvent } from '../../contract/calls.js';
import type { Store } from '../../core/store/index.js';
import { labDown, labUp, type LabInfo } from '../../lab/index.js';
import { startLabPosition, type LabPosition, type LabPositionOptions } from './position.js';

export const testLines = {
  lines: [
    { number: '18', label: 'Pompiers 18', priority: 100 },
    { number: '5000', label: 'Standard', priority: 10 },
  ],
};

export interface LabCalls {
  readonly lab: LabInfo;
  readonly root: string;
  readonly cleanups: (() => Promise<void> | void)[];
  startPosition(
    name: string,
    user?: string,
    extra?: Partial<LabPositionOptions>,
    registrar?: string,
  ): Promise<LabPosition>;
}

/** Registers the file's beforeAll/afterAll (a lab up, then everything stopped in reverse) and returns its handles. */
export const useLabCalls = (prefix: string): LabCalls => {
  let root: string | undefined;
  let lab: LabInfo | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), prefix));
    lab = await labUp({ dir: join(root, 'lab') });
  }, 60_000);
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    if (lab !== undefined) await labDown({ dir: lab.dir });
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  }, 60_000);
  const env: LabCalls = {
    get lab() {
      if (lab === undefined) throw new Error('laboratoire non démarré');
      return lab;
    },
    get root() {
      if (root === undefined) throw new Error('dossier de test absent');
      return root;
    },
    cleanups,
    async startPosition(name, user = '1001', extra = {}, registrar) {
      const p = await startLabPosition({
        dataDir: join(env.root, name),
        wsUrl: registrar ?? env.lab.wsUrl,
        user,
        name,
        lines: testLines,
        log: (l, m) => l !== 'info' && console.log(name, l, m),
        ...extra,
      });
      cleanups.push(() => p.close());
      return p;
    },
  };
  return env;
};

export const ringing = (e: CallsEvent): e is Extract<CallsEvent, { type: 'call.state' }> =>
  e.type === 'call.state' && e.call.state === 'ringing';
export const endedAs = (cause: string) => (e: CallsEvent) =>
  e.type === 'call.state' && e.call.state === 'ended' && 'cause' in e.call && e.call.cause === cause;
export const callIdOf = (e: CallsEvent): string => {
  if (e.type !== 'call.state') throw new Error('pas un événement call.state');
  return e.call.id;
};
export const eventTypesOf = (store: Store, callId: string): string[] =>
  (
    store.db.prepare(`SELECT type, payload FROM events WHERE type LIKE 'call.%' ORDER BY seq`).all() as {
      type: string;
      payload: string;
    }[]
  )
    .filter((r) => (JSON.parse(r.payload) as { callId?: string }).callId === callId)
    .map((r) => r.type);

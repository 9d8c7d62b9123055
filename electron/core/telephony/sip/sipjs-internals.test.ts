import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Inviter, Session, UserAgent } from 'sip.js';
import { describe, expect, it } from 'vitest';
import { SIPJS_CHECKED_VERSION, sessionContact, sessionCount } from './sipjs-internals.js';

describe('sip.js internals used by sipjs-internals.ts', () => {
  it('still exist in the installed sip.js, which is the version they were checked against', () => {
    const pkg = createRequire(import.meta.url).resolve('sip.js/package.json');
    expect((JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version).toBe(SIPJS_CHECKED_VERSION);
    expect(typeof Reflect.get(Session.prototype, '_refer')).toBe('function');
    const uri = UserAgent.makeURI('sip:1001@127.0.0.1');
    if (uri === undefined) throw new Error('URI');
    const ua = new UserAgent({ uri, transportOptions: { server: 'ws://127.0.0.1:1' }, logBuiltinEnabled: false });
    expect(sessionCount(ua)).toBe(0);
    const inviter = new Inviter(ua, uri);
    expect(sessionContact(inviter)).toMatch(/^<sip:/);
    expect(sessionCount(ua)).toBe(1);
  });

  it('both fixes of patches/sip.js+0.21.2.patch are applied (ACK timer, grammar bytecode decoded once)', () => {
    const resolve = createRequire(import.meta.url).resolve;
    expect(readFileSync(resolve('sip.js/lib/api/invitation.js'), 'utf8')).toMatch(
      /onAckTimeout\(\) \{[\s\S]{0,400}SessionState\.Terminated\) \{\s*return;/,
    );
    expect(readFileSync(resolve('sip.js/lib/grammar/pegjs/dist/grammar.js'), 'utf8')).toContain(
      'peg$bytecodeCache = [',
    );
  });
});

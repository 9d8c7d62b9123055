/**
 * The only file that reads sip.js fields outside its documented API. Checked against sip.js 0.21.2 (the
 * version package.json pins, patched by patches/sip.js+0.21.2.patch); sipjs-internals.test.ts fails if
 * an upgrade renames or removes them.
 *
 * - `Session._refer`: sends a REFER with our own headers. sip.js writes a Refer-To URI without angle
 *   brackets, which a URI carrying `?Replaces=` needs (RFC 3261 §20.1), and its own attended form uses
 *   the target's Contact, unroutable behind a WebSocket proxy (`.invalid` host, RFC 7118 §5).
 * - `Session._contact`: the Contact sip.js would put on that REFER.
 * - `UserAgent._sessions`: whether a call is up (the failover probe must not move a live dialog).
 */
import type { Notification, Session, UserAgent } from 'sip.js';
import type { SessionInviteOptions } from 'sip.js';

/** sip.js's OutgoingRequestDelegate, named through its public API. */
type OutgoingRequestDelegate = NonNullable<SessionInviteOptions['requestDelegate']>;

export const SIPJS_CHECKED_VERSION = '0.21.2';

/** REFER on `session` with exactly these extra headers (Refer-To included). */
export const referWithHeaders = (
  session: Session,
  onNotify: (notification: Notification) => void,
  delegate: OutgoingRequestDelegate,
  extraHeaders: string[],
): Promise<unknown> => session._refer(onNotify, delegate, { extraHeaders });

export const sessionContact = (session: Session): string | undefined => session._contact;

export const sessionCount = (ua: UserAgent): number => Object.keys(ua._sessions).length;

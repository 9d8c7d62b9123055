import type { Core, URI, UserAgent } from 'sip.js';

export type RegisterResult = { ok: true; expires: number } | { ok: false; reason: string };

/**
 * REGISTER client (RFC 3261 section 10.2) on the sip.js core. sip.js's own Registerer refuses a new REGISTER
 * while an earlier one is unanswered (it waits up to Timer F, 32 s) and keeps saying "Registered" after the
 * socket died; here a REGISTER lost with its connection is simply abandoned, and the next connection
 * registers at once. Digest challenges (401/407) are answered by the sip.js core with the UA's credentials.
 */
export class RegistrationClient {
  private readonly request: Core.OutgoingRequestMessage;
  /** The REGISTER waiting for its final response, if any; cancel() disposes it and settles its promise. */
  private pending: { outgoing: Core.OutgoingRegisterRequest | undefined; cancel: (reason: string) => void } | undefined;

  constructor(
    private readonly ua: UserAgent,
    aor: URI,
    private readonly expires: number,
  ) {
    const registrar = aor.clone();
    registrar.user = undefined;
    // One Call-ID for all registrations to this registrar, CSeq incremented each time (RFC 3261 section 10.2).
    this.request = ua.userAgentCore.makeOutgoingRequestMessage('REGISTER', registrar, aor, aor, {}, [], undefined);
  }

  register(timeoutMs: number): Promise<RegisterResult> {
    return this.send(this.expires, timeoutMs);
  }

  /** Remove our binding (Expires 0, RFC 3261 section 10.2.2), e.g. on quit or before leaving a secondary. */
  unregister(timeoutMs: number): Promise<RegisterResult> {
    return this.send(0, timeoutMs);
  }

  /** Forget an unanswered REGISTER (its connection is gone): its transaction is disposed, its promise settles. */
  abandon(): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.cancel('REGISTER abandonné');
  }

  private send(expires: number, timeoutMs: number): Promise<RegisterResult> {
    this.abandon();
    const contact = `${this.ua.contact.toString({ register: true })};expires=${expires}`;
    this.request.cseq += 1;
    this.request.setHeader('cseq', `${this.request.cseq} REGISTER`);
    this.request.extraHeaders = [
      `Contact: ${contact}`,
      'Allow: ACK,CANCEL,INVITE,MESSAGE,BYE,OPTIONS,INFO,NOTIFY,REFER',
    ];
    return new Promise<RegisterResult>((resolve) => {
      let settled = false;
      const settle = (result: RegisterResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (this.pending === entry) this.pending = undefined;
        resolve(result);
      };
      const entry: NonNullable<RegistrationClient['pending']> = {
        outgoing: undefined,
        cancel: (reason) => {
          entry.outgoing?.dispose();
          settle({ ok: false, reason });
        },
      };
      this.pending = entry;
      const timer = setTimeout(() => entry.cancel(`pas de réponse au REGISTER en ${timeoutMs} ms`), timeoutMs);
      try {
        entry.outgoing = this.ua.userAgentCore.register(this.request, {
          onAccept: (response) => settle({ ok: true, expires: this.grantedExpires(response.message, expires) }),
          onReject: (response) =>
            settle({
              ok: false,
              reason: `REGISTER refusé : ${response.message.statusCode} ${response.message.reasonPhrase}`,
            }),
          onRedirect: (response) => settle({ ok: false, reason: `REGISTER redirigé : ${response.message.statusCode}` }),
        });
      } catch (error) {
        settle({
          ok: false,
          reason: `REGISTER non envoyé : ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    });
  }

  /** The registrar may shorten our Expires: read it from our Contact in the 200 (RFC 3261 section 10.3 step 8). */
  private grantedExpires(message: Core.IncomingResponseMessage, asked: number): number {
    const user = this.ua.contact.uri.user ?? '';
    for (const header of message.getHeaders('contact')) {
      for (const contact of header.split(',')) {
        if (user !== '' && !contact.includes(user)) continue;
        const match = /;\s*expires=(\d+)/i.exec(contact);
        if (match?.[1] !== undefined) return Number(match[1]);
      }
    }
    const header = message.getHeader('expires');
    return header !== undefined && /^\d+$/.test(header.trim()) ? Number(header.trim()) : asked;
  }
}

import type { RegistrationState, SipPhone } from '../../core/telephony/sip/index.js';

/**
 * Wait until the phone's state matches `predicate`: checked on each notified change and every 20 ms (detail
 * updates alone are not notified). `timeoutMs` is only a generous upper bound for a shared CPU.
 */
export const waitForState = (
  phone: SipPhone,
  predicate: (state: RegistrationState) => boolean,
  timeoutMs: number,
  what: string,
): Promise<RegistrationState> =>
  new Promise((resolve, reject) => {
    const check = (state: RegistrationState): void => {
      if (!predicate(state)) return;
      finish();
      resolve(state);
    };
    const unsubscribe = phone.onState(check);
    const poll = setInterval(() => check(phone.state()), 20);
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`${what} : pas atteint en ${timeoutMs} ms (état ${JSON.stringify(phone.state())})`));
    }, timeoutMs);
    function finish(): void {
      clearTimeout(timer);
      clearInterval(poll);
      unsubscribe();
    }
    check(phone.state());
  });

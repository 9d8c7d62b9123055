/**
 * Registration state as the position really is, not as sip.js believes: 'registered' only after a 200 to
 * our REGISTER on the connection that is open now; 'lost' as soon as that connection or its refresh failed.
 */
export type RegistrationStateName = 'disabled' | 'connecting' | 'registered' | 'lost';

export interface RegistrationState {
  state: RegistrationStateName;
  /** The registrar in use (registered), being tried first (connecting) or lost (lost); null when disabled. */
  registrar: string | null;
  /** French, for the technician: why, what is being tried. */
  detail: string;
}

/** Listeners hear about a change of state or registrar; detail updates alone (each retry) stay silent. */
export const isNotableChange = (previous: RegistrationState, next: RegistrationState): boolean =>
  previous.state !== next.state || previous.registrar !== next.registrar;

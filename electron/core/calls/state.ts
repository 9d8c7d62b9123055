/**
 * The call state machine. Pure: the manager asks `transition` before doing anything on the wire and
 * before appending the event, so an impossible command (hold a ringing call, answer an ended one) is
 * refused with a French message instead of leaving the log inconsistent.
 */
import { VigieError } from '../../contract/result.js';

export type CallState = 'ringing' | 'dialing' | 'active' | 'held' | 'ended';
export type CallDirection = 'in' | 'out';

export const endCauses = [
  'caller_hangup',
  'abandoned',
  'answered_elsewhere',
  'operator_hangup',
  'transferred',
  'failed',
  'busy',
] as const;
export type EndCause = (typeof endCauses)[number];

export type CallAction =
  | { kind: 'answer' }
  | { kind: 'connected' } // outgoing call got its 2xx
  | { kind: 'hold' }
  | { kind: 'resume' }
  | { kind: 'transfer' }
  | { kind: 'end'; cause: EndCause };

/** From which states each end cause may happen. */
const endFrom: Record<EndCause, readonly CallState[]> = {
  // A caller who hangs up before anyone answered is "abandoned", never "caller_hangup".
  caller_hangup: ['active', 'held'],
  abandoned: ['ringing'],
  answered_elsewhere: ['ringing'],
  // The operator may also decline a ringing call or give up dialling.
  operator_hangup: ['ringing', 'dialing', 'active', 'held'],
  transferred: ['active', 'held'],
  failed: ['ringing', 'dialing', 'active', 'held'],
  busy: ['dialing'],
};

const stateLabel: Record<CallState, string> = {
  ringing: 'en sonnerie',
  dialing: 'en numérotation',
  active: 'en communication',
  held: 'en attente',
  ended: 'terminé',
};

/** The state after `action`, or null when the action is not allowed from `from`. */
export const nextState = (from: CallState, action: CallAction): CallState | null => {
  switch (action.kind) {
    case 'answer':
      return from === 'ringing' ? 'active' : null;
    case 'connected':
      return from === 'dialing' ? 'active' : null;
    case 'hold':
      return from === 'active' ? 'held' : null;
    case 'resume':
      return from === 'held' ? 'active' : null;
    case 'transfer':
      // The call stays up until the REFER is accepted and the far end hangs up; `end` follows.
      return from === 'active' || from === 'held' ? from : null;
    case 'end':
      return endFrom[action.cause].includes(from) ? 'ended' : null;
  }
};

/** Like nextState, but throws a VigieError('conflict') the dispatcher can show to the operator. */
export const transition = (from: CallState, action: CallAction): CallState => {
  const to = nextState(from, action);
  if (to === null) {
    const what: Record<CallAction['kind'], string> = {
      answer: 'décrocher',
      connected: 'mettre en communication',
      hold: 'mettre en attente',
      resume: 'reprendre',
      transfer: 'transférer',
      end: 'terminer',
    };
    throw new VigieError('conflict', `Impossible de ${what[action.kind]} un appel ${stateLabel[from]}.`);
  }
  return to;
};

/** States in which a call is still in progress (not ended). */
export const isLive = (s: CallState): boolean => s !== 'ended';

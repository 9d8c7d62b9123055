/** A live call as the desk keeps it in memory, and its views for the UI (queue order: queue.ts). */
import type { LiveCall, QueueSnapshot } from '../../contract/calls.js';
import type { ResolvedLine } from './lines.js';
import { orderQueue } from './queue.js';
import type { CallState, EndCause } from './state.js';

export interface Live {
  id: string;
  /** The SIP stack's session id (signalling.ts). */
  sid: string;
  arrival: number;
  direction: 'in' | 'out';
  state: CallState;
  line: ResolvedLine;
  caller: { number: string; name: string | null };
  offeredAt: number;
  answeredAt: number | null;
  muted: boolean;
  /** A command is running on this call (answer, hold…): a second one is refused, not interleaved. */
  busy: boolean;
  /** Why the session ends when it ends, as decided by this side or learnt from the peer. */
  cancelled?: { elsewhere: boolean };
  byeReceived: boolean;
  localEnd?: EndCause;
  localDetail?: string;
  rejectCode?: number;
  /** Registration lost while in conversation: ended when its media stops (desk.ts, mediaStopped). */
  signallingLost?: true;
  transfer?: { target: string; mode: 'blind' | 'attended'; consultCallId?: string; logged: boolean };
  autoAnswer?: NodeJS.Timeout;
  /** Resolved when the dialog is confirmed: ACK received (incoming) or 2xx received (outgoing). */
  confirmed: Promise<void>;
  confirm: () => void;
}

export const withLiveViews = (
  live: ReadonlyMap<string, Live>,
): { view: (c: Live) => LiveCall; queue: () => QueueSnapshot } => {
  const view = (c: Live): LiveCall => ({
    id: c.id,
    direction: c.direction,
    state: c.state,
    line: { number: c.line.number, label: c.line.label, priority: c.line.priority },
    caller: c.caller,
    offeredAt: c.offeredAt,
    answeredAt: c.answeredAt,
    muted: c.muted,
    signallingLost: c.signallingLost === true,
  });
  const queue = (): QueueSnapshot => {
    const all = [...live.values()];
    const ringing = orderQueue(
      all.filter((c) => c.state === 'ringing').map((c) => ({ ...c, priority: c.line.priority })),
    );
    return {
      ringing: ringing.map(view),
      mine: all
        .filter((c) => c.state !== 'ringing' && c.state !== 'ended')
        .sort((a, b) => a.offeredAt - b.offeredAt)
        .map(view),
    };
  };
  return { view, queue };
};

/** A fresh `confirmed` promise and its resolver. */
export const confirmation = (): { confirmed: Promise<void>; confirm: () => void } => {
  let confirm = (): void => undefined;
  const confirmed = new Promise<void>((resolve) => {
    confirm = resolve;
  });
  return { confirmed, confirm };
};

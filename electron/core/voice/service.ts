/**
 * The voice module's running part: each report of the media-owner page becomes an event (signed by who is
 * at the position), and a self-test also becomes a main courante entry, written by a reactor after the
 * event committed — the pattern of the health module's automatic entries (docs/architecture.md, "Modules").
 */
import type { Handlers, ModuleContext, ModuleInstance, Reactor } from '../kernel/module.js';
import type { StoredEvent } from '../store/types.js';
import { selfTestSchema, VOICE_EVENTS } from './events.js';
import { selfTestText } from './texts.js';

const AUTO_CATEGORY = 'technique';

export type AppendLines = (
  lines: readonly string[],
  fields: { author: string; category: string },
) => Promise<{ refused: { index: number; message: string }[] }>;

export const createVoice = (ctx: ModuleContext, appendLines: AppendLines): ModuleInstance => {
  const { store, config } = ctx;
  const operator = ctx.port('operator');
  const record = (type: string, payload: object): { recorded: true } => {
    store.append(type, { ...payload, at: ctx.now() }, operator());
    return { recorded: true };
  };

  const handlers: Handlers = {
    'voice.config': () => config.voice,
    'voice.device': (args) => record(VOICE_EVENTS.device, args),
    'voice.alarm': (args) => record(VOICE_EVENTS.alarm, args),
    'voice.quality': (args) => record(VOICE_EVENTS.quality, args),
    'voice.selfTest': (args) => {
      const ok = args.microphone.ok && args.headset.ok && args.ring.ok && args.relay.ok;
      const payload = { ...args, ok, at: ctx.now() };
      store.append(VOICE_EVENTS.selfTest, payload, operator());
      return { recorded: true, summary: selfTestText(payload) };
    },
  };

  const writeEntry = async (event: StoredEvent): Promise<void> => {
    // Remote positions' self-tests are theirs to write (docs/architecture.md, "Replication").
    if (event.origin !== store.origin) return;
    const parsed = selfTestSchema.safeParse(event.payload);
    if (!parsed.success) return;
    const { refused } = await appendLines([selfTestText(parsed.data)], {
      author: config.positionName,
      category: AUTO_CATEGORY,
    });
    for (const r of refused) ctx.log('error', `inscription d’auto-test refusée : ${r.message}`);
  };

  const reactors: Reactor[] = [{ name: 'auto-test', types: [VOICE_EVENTS.selfTest], react: writeEntry }];
  return { handlers, reactors };
};

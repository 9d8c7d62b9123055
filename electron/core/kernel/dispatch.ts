import type { z } from 'zod';
import { fail, isMethod, ok, requestSchemas, VigieError, type Method, type Result } from '../../contract/index.js';
import { describeIssues } from '../config.js';
import { StoreError } from '../store/index.js';
import type { Handlers } from './module.js';

type RawHandler = (args: unknown) => unknown;

/** The store's own errors, as the contract says them; their messages are already French and name the file. */
const fromStoreError = (error: StoreError): Result<never> =>
  fail(error.code === 'invalid' ? 'invalid_argument' : 'unavailable', error.message);

/**
 * The modules' handlers joined into one table. Like a method registry, it refuses a method that two
 * modules declare: two answers to one request would depend on the order of the list.
 */
export const joinHandlers = (parts: readonly { module: string; handlers: Handlers }[]): Map<Method, RawHandler> => {
  const table = new Map<Method, RawHandler>();
  const owner = new Map<Method, string>();
  for (const { module, handlers } of parts) {
    for (const name of Object.keys(handlers)) {
      if (!isMethod(name)) throw new Error(`module ${module} : requête absente du contrat : ${name}`);
      const previous = owner.get(name);
      if (previous !== undefined) throw new Error(`requête ${name} déclarée par ${previous} et par ${module}`);
      // TypeScript cannot correlate handlers[name] with its own argument type across a union of methods
      // (microsoft/TypeScript#30581); the dispatcher parses the argument with that method's schema first.
      const handler = handlers[name] as RawHandler | undefined;
      if (handler === undefined) continue;
      owner.set(name, module);
      table.set(name, handler);
    }
  }
  return table;
};

/**
 * Validate then run. Every request is parsed with its zod schema where it enters the core
 * (docs/architecture.md, "Contract"), and every failure becomes `{ ok: false }` rather than a crash.
 */
export const createDispatcher = (
  handlers: ReadonlyMap<Method, RawHandler>,
  onInternalError: (method: string, error: unknown) => void,
) => {
  return async (method: string, args: unknown): Promise<Result<unknown>> => {
    if (typeof method !== 'string' || !isMethod(method)) {
      return fail('unknown_method', `Requête inconnue : ${String(method).slice(0, 80)}`);
    }
    const handler = handlers.get(method);
    if (handler === undefined) {
      return fail('unavailable', `Cette fonction n'est pas disponible sur ce poste (${method}).`);
    }
    const schema: z.ZodType = requestSchemas[method];
    const parsed = schema.safeParse(args ?? {});
    if (!parsed.success) {
      const details = describeIssues(parsed.error);
      return fail('invalid_argument', `Argument invalide pour ${method} : ${details.join(' ; ')}`, details);
    }
    try {
      return ok(await handler(parsed.data));
    } catch (error) {
      if (error instanceof VigieError) return fail(error.code, error.message, error.details);
      if (error instanceof StoreError) return fromStoreError(error);
      onInternalError(method, error);
      return fail('internal', `Erreur interne pendant ${method} ; le détail est dans le journal technique.`);
    }
  };
};

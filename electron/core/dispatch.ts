import type { z } from 'zod';
import {
  fail,
  isMethod,
  ok,
  requestSchemas,
  VigieError,
  type Method,
  type ParsedArgsOf,
  type Result,
  type ResultOf,
} from '../contract/index.js';
import { describeIssues } from './config.js';

export type Handler<M extends Method> = (args: ParsedArgsOf<M>) => ResultOf<M> | Promise<ResultOf<M>>;
export type Handlers = { [M in Method]: Handler<M> };

type RawHandler = (args: unknown) => unknown;

/**
 * Validate then run. Every request is parsed with its zod schema where it enters the core
 * (DESIGN.md rule 5), and every failure becomes `{ ok: false }` rather than a crash.
 */
export const createDispatcher = (handlers: Handlers, onInternalError: (method: string, error: unknown) => void) => {
  return async (method: string, args: unknown): Promise<Result<unknown>> => {
    if (typeof method !== 'string' || !isMethod(method)) {
      return fail('unknown_method', `Requête inconnue : ${String(method).slice(0, 80)}`);
    }
    const schema: z.ZodType = requestSchemas[method];
    const parsed = schema.safeParse(args ?? {});
    if (!parsed.success) {
      const details = describeIssues(parsed.error);
      return fail('invalid_argument', `Argument invalide pour ${method} : ${details.join(' ; ')}`, details);
    }
    // TypeScript cannot correlate handlers[method] with its parsed argument for a union of methods
    // (microsoft/TypeScript#30581); the schema above is the one the handler's type is derived from.
    const handler = handlers[method] as RawHandler;
    try {
      return ok(await handler(parsed.data));
    } catch (error) {
      if (error instanceof VigieError) return fail(error.code, error.message, error.details);
      onInternalError(method, error);
      return fail('internal', `Erreur interne pendant ${method} ; le détail est dans le journal technique.`);
    }
  };
};

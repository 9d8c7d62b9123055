/**
 * The page's side of the core → renderer requests (electron/contract/renderer.ts): typed handlers per
 * method, arguments parsed with the contract's schemas before a handler sees them, every outcome turned
 * into a Result (a handler that throws never leaves the core without an answer).
 */
import {
  fail,
  isRendererMethod,
  MAX_RENDERER_REPLY_BYTES,
  ok,
  rendererRequests,
  VigieError,
  type RendererHandlers,
  type RendererServe,
  type Result,
} from '../../electron/contract/index.js';
import type { z } from 'zod';

const describeIssues = (error: z.ZodError): string[] =>
  error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(racine)'} : ${issue.message}`);

type RawHandler = (args: unknown) => unknown;

export const MEDIA_UNAVAILABLE = 'média non disponible';

/** One serving function for the transport, built from the page's handlers. */
export const createRendererServer =
  (handlers: RendererHandlers): RendererServe =>
  async (method, args): Promise<Result<unknown>> => {
    if (!isRendererMethod(method)) return fail('unknown_method', `Requête inconnue : ${method.slice(0, 80)}`);
    // A method of the contract that this page does not serve (yet): the media handlers other than
    // media.devices come with the voice feature; until then the core hears « média non disponible ».
    const handler = handlers[method];
    if (handler === undefined) return fail('unavailable', MEDIA_UNAVAILABLE);
    const schema: z.ZodType = rendererRequests[method].args;
    const parsed = schema.safeParse(args ?? {});
    if (!parsed.success) {
      const details = describeIssues(parsed.error);
      return fail('invalid_argument', `Argument invalide pour ${method} : ${details.join(' ; ')}`, details);
    }
    try {
      // TypeScript cannot correlate handlers[method] with its parsed argument for a union of methods
      // (microsoft/TypeScript#30581); the schema above is the one the handler's type is derived from.
      const value = await (handler as RawHandler)(parsed.data);
      if ((JSON.stringify(value ?? null)?.length ?? 0) > MAX_RENDERER_REPLY_BYTES) {
        return fail('internal', `Réponse trop volumineuse pour ${method}`);
      }
      return ok(value);
    } catch (error) {
      if (error instanceof VigieError) return fail(error.code, error.message, error.details);
      const message = error instanceof Error ? error.message : String(error);
      return fail('internal', `Erreur de la console pendant ${method} : ${message.slice(0, 300)}`);
    }
  };

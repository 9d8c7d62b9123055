/** How every answer crosses a process boundary: never a thrown error, always a value. */
export const ERROR_CODES = [
  'invalid_argument',
  'unknown_method',
  'not_found',
  'forbidden',
  'conflict',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  code: ErrorCode;
  /** French, shown to the operator as is. */
  message: string;
  details?: string[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, details?: string[]): Result<never> =>
  details === undefined ? { ok: false, error: { code, message } } : { ok: false, error: { code, message, details } };

/** An error a core module throws on purpose; the dispatcher turns it into `{ ok: false }`. */
export class VigieError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: string[],
  ) {
    super(message);
    this.name = 'VigieError';
  }
}

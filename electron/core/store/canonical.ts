/**
 * Canonical JSON: the one byte sequence that is hashed for an event (docs/architecture.md, rule 2).
 *
 * It is the JSON Canonicalization Scheme (RFC 8785, https://www.rfc-editor.org/rfc/rfc8785) restricted
 * to the values an event payload may hold, with one documented deviation (lone surrogates, below):
 *
 * - Values: `null`, booleans, finite numbers, strings, arrays, and plain objects (prototype `Object`
 *   or `null`). Anything else (undefined at top level or in an array, NaN, ±Infinity, bigint, Date,
 *   Map, class instances, functions, symbols) is refused with a TypeError rather than silently
 *   converted, so that what is hashed is exactly what is stored and read back.
 * - Object members whose value is `undefined` are omitted (as `JSON.stringify` does): an absent
 *   optional field and an undefined one are the same fact.
 * - Key order: members sorted by their names compared as sequences of UTF-16 code units
 *   (RFC 8785 §3.2.3), which is what `Array.prototype.sort()` does with no comparator.
 * - No whitespace anywhere.
 * - Numbers: the ECMAScript Number-to-String algorithm (RFC 8785 §3.2.2.3, ECMA-262
 *   Number::toString), i.e. `JSON.stringify(n)`: shortest round-trip form, `-0` written `0`,
 *   exponent form (`1e+21`, `1e-7`) outside [1e-6, 1e21). Integers above 2^53 cannot be represented
 *   exactly and must be carried as strings by the event types that need them.
 * - Strings: escaped as by `JSON.stringify` (RFC 8785 §3.2.2.2): `"` and `\` with a backslash,
 *   U+0008/0009/000A/000C/000D as `\b \t \n \f \r`, other code points below U+0020 as `\u00xx`
 *   (lowercase hex); every other character is written as itself, encoded in UTF-8 when hashed.
 *   No Unicode normalization (neither NFC nor NFD): the text is kept exactly as the operator typed
 *   it, so two visually identical strings with different code points hash differently.
 *   Deviation from RFC 8785: a lone surrogate (not valid Unicode) is written as a lowercase `\udxxx`
 *   escape (ES2019 well-formed `JSON.stringify`) instead of being an error; it then survives the round
 *   trip through SQLite's UTF-8 text unchanged.
 */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json | undefined };

const isPlainObject = (value: object): value is Record<string, unknown> => {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

const write = (value: unknown, path: string, out: string[]): void => {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`JSON canonique : nombre non fini à ${path}`);
      out.push(JSON.stringify(value));
      return;
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`JSON canonique : valeur de type ${typeof value} refusée à ${path}`);
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item: unknown, index) => {
      if (index > 0) out.push(',');
      if (item === undefined) throw new TypeError(`JSON canonique : undefined refusé à ${path}[${index}]`);
      write(item, `${path}[${index}]`, out);
    });
    out.push(']');
    return;
  }
  if (!isPlainObject(value)) throw new TypeError(`JSON canonique : objet non simple refusé à ${path}`);
  out.push('{');
  let first = true;
  for (const key of Object.keys(value).sort()) {
    const member = value[key];
    if (member === undefined) continue;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(key), ':');
    write(member, `${path}.${key}`, out);
  }
  out.push('}');
};

/** The canonical JSON text of a value (see the module comment for the exact rules). */
export const canonicalJson = (value: unknown): string => {
  if (value === undefined) throw new TypeError('JSON canonique : undefined refusé');
  const out: string[] = [];
  write(value, '$', out);
  return out.join('');
};

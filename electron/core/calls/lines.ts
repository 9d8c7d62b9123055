/**
 * Lines: which service number the caller dialled (18, 112, standard…) decides the label shown and the
 * priority in the queue. The called number is read from the headers the operator's SBC/PBX fills in,
 * in a configurable order, because each carrier puts it somewhere else.
 */
import { z } from 'zod';

/** Where the called number may be read from. */
export const calledNumberSources = ['to', 'p-called-party-id', 'diversion'] as const;
export type CalledNumberSource = (typeof calledNumberSources)[number];

/** Higher `priority` = more urgent (answered first). */
export const lineSchema = z.object({
  number: z.string().trim().min(1).max(64),
  label: z.string().trim().min(1).max(80),
  // Same shape as electron/core/telephony/config.ts lineSchema, so a telephony config passes as is.
  priority: z.number().int(),
});
export type LineConfig = z.infer<typeof lineSchema>;

export const linesConfigSchema = z.object({
  lines: z.array(lineSchema).max(200).default([]),
  /** Checked in this order; the first source whose number is a configured line wins. */
  calledNumberFrom: z
    .array(z.enum(calledNumberSources))
    .min(1)
    .max(3)
    .default(['p-called-party-id', 'diversion', 'to']),
  /** Used when no source names a configured line (a number nobody configured still rings). */
  defaultLine: z
    .object({ label: z.string().min(1).max(80), priority: z.number().int() })
    .default({ label: 'Ligne non configurée', priority: 0 }),
});
export type LinesConfig = z.output<typeof linesConfigSchema>;

export interface ResolvedLine {
  /** The called number as read (normalised), or '' when no header carried one. */
  number: string;
  label: string;
  priority: number;
  /** Which header gave it; null for the default line without any number. */
  source: CalledNumberSource | null;
  configured: boolean;
}

/** Reads one header value (first occurrence), case-insensitively, as the SIP message carries it. */
export type HeaderReader = (name: string) => string | undefined;

const headerName: Record<CalledNumberSource, string> = {
  to: 'To',
  'p-called-party-id': 'P-Called-Party-ID',
  diversion: 'Diversion',
};

/**
 * Normalises a dialled number for comparison: keeps digits, a leading '+', and '*'/'#'
 * (visual separators '-', '.', ' ', '(', ')' are allowed in tel URIs, RFC 3966 §3).
 */
export const normaliseNumber = (raw: string): string => {
  const trimmed = raw.trim();
  const plus = trimmed.startsWith('+') ? '+' : '';
  return plus + trimmed.replace(/[^0-9*#]/g, '');
};

/**
 * The user part of the first URI in a name-addr / addr-spec header value
 * (`"18" <sip:18@host;user=phone>;tag=x`, `<tel:+68718>`, `sip:112@host`), RFC 3261 §20.10 / §25.1.
 */
export const numberFromHeaderValue = (value: string): string | null => {
  const bracket = /<([^>]*)>/.exec(value);
  const uri = (bracket?.[1] ?? value.split(';')[0] ?? '').trim();
  const m = /^(?:sips?|tel):([^@;>?]+)/i.exec(uri);
  if (m?.[1] === undefined) return null;
  let user: string;
  try {
    user = decodeURIComponent(m[1]);
  } catch {
    return null;
  }
  const n = normaliseNumber(user);
  return n === '' || n === '+' ? null : n;
};

/**
 * Splits a header value into its comma-separated entries, ignoring commas inside quotes or <...>.
 */
const splitEntries = (value: string): string[] => {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '<') depth++;
    else if (!quoted && ch === '>') depth = Math.max(0, depth - 1);
    if (ch === ',' && !quoted && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') out.push(current);
  return out;
};

/** The called number one source gives, or null. */
export const calledNumberFrom = (source: CalledNumberSource, header: HeaderReader): string | null => {
  const value = header(headerName[source]);
  if (value === undefined || value.length > 2048) return null;
  if (source === 'diversion') {
    // Diversion entries are listed most recent first; the last one is the number the caller dialled
    // before any diversion happened (RFC 5806 §4).
    const entries = splitEntries(value);
    const original = entries[entries.length - 1];
    return original === undefined ? null : numberFromHeaderValue(original);
  }
  return numberFromHeaderValue(value);
};

/** Maps a call's headers to a line. Never throws: an unknown number gets the default line. */
export const resolveLine = (header: HeaderReader, config: LinesConfig): ResolvedLine => {
  const byNumber = new Map(config.lines.map((l) => [normaliseNumber(l.number), l] as const));
  let first: { number: string; source: CalledNumberSource } | null = null;
  for (const source of config.calledNumberFrom) {
    const number = calledNumberFrom(source, header);
    if (number === null) continue;
    first ??= { number, source };
    const line = byNumber.get(number);
    if (line !== undefined) return { number, label: line.label, priority: line.priority, source, configured: true };
  }
  return {
    number: first?.number ?? '',
    label: config.defaultLine.label,
    priority: config.defaultLine.priority,
    source: first?.source ?? null,
    configured: false,
  };
};

/** Reads a header from a plain record (tests, CLI), case-insensitively. */
export const headerReaderFromRecord =
  (headers: Record<string, string>): HeaderReader =>
  (name) => {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? undefined : headers[key];
  };

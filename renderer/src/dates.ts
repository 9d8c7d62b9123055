/**
 * Dates and times as jj/mm/aaaa hh:mm:ss in Nouméa time, assembled from parts: the order never depends
 * on the browser's locale or on a locale's default pattern. Nouméa is UTC+11 all year (no daylight saving).
 */
const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Pacific/Noumea',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  weekday: 'short',
  hourCycle: 'h23',
});

const WEEKDAYS: Record<string, string> = {
  Mon: 'lun.',
  Tue: 'mar.',
  Wed: 'mer.',
  Thu: 'jeu.',
  Fri: 'ven.',
  Sat: 'sam.',
  Sun: 'dim.',
};

interface Fields {
  day: string;
  month: string;
  year: string;
  hour: string;
  minute: string;
  second: string;
  weekday: string;
}

const fields = (ms: number): Fields => {
  const out: Fields = { day: '', month: '', year: '', hour: '', minute: '', second: '', weekday: '' };
  for (const p of parts.formatToParts(new Date(ms))) {
    if (p.type in out) out[p.type as keyof Fields] = p.value; // the keys checked just above
  }
  return out;
};

/** « 29/11/2026 23:58:01 ». */
export const formatDateTime = (ms: number): string => {
  const f = fields(ms);
  return `${f.day}/${f.month}/${f.year} ${f.hour}:${f.minute}:${f.second}`;
};
/** « 29/11/2026 ». */
export const formatDate = (ms: number): string => {
  const f = fields(ms);
  return `${f.day}/${f.month}/${f.year}`;
};
/** « 23:58:01 ». */
export const formatTime = (ms: number): string => {
  const f = fields(ms);
  return `${f.hour}:${f.minute}:${f.second}`;
};
/** « dim. 29/11 23:58:01 », for the status bar clock. */
export const formatClock = (ms: number): string => {
  const f = fields(ms);
  return `${WEEKDAYS[f.weekday] ?? f.weekday} ${f.day}/${f.month} ${f.hour}:${f.minute}:${f.second}`;
};

const DATE = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/;
const DATE_TIME = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?\s*$/;
const pad = (n: string) => n.padStart(2, '0');

const valid = (d: string, m: string, y: string, hh: string, mm: string): string | null => {
  const iso = `${y}-${pad(m)}-${pad(d)}T${pad(hh)}:${pad(mm)}`;
  const date = new Date(`${iso}:00+11:00`);
  if (Number.isNaN(date.getTime())) return null;
  // Refuse 31/02 and the like: the instant must read back as what was typed.
  const back = fields(date.getTime());
  return back.day === pad(d) && back.month === pad(m) && back.year === y && back.hour === pad(hh) ? iso : null;
};

/** « jj/mm/aaaa » typed in Nouméa time → the ISO instant of the start (or end) of that day; null if invalid. */
export const parseDateInput = (value: string, endOfDay: boolean): string | null | undefined => {
  if (value.trim() === '') return undefined;
  const m = DATE.exec(value);
  if (m === null) return null;
  const [, d = '', mo = '', y = ''] = m;
  const iso = valid(d, mo, y, '00', '00');
  if (iso === null) return null;
  return new Date(`${iso.slice(0, 10)}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}+11:00`).toISOString();
};

/** « jj/mm/aaaa hh:mm » (time optional, 00:00) typed in Nouméa time → ISO instant; null if invalid. */
export const parseDateTimeInput = (value: string): string | null | undefined => {
  if (value.trim() === '') return undefined;
  const m = DATE_TIME.exec(value);
  if (m === null) return null;
  const [, d = '', mo = '', y = '', hh = '00', mm = '00'] = m;
  const iso = valid(d, mo, y, hh, mm);
  return iso === null ? null : new Date(`${iso}:00+11:00`).toISOString();
};

/** Nouméa's time of day in the form, and back to an instant (New Caledonia: UTC+11, no daylight saving). */
const NOUMEA_OFFSET_MS = 11 * 3600_000;

const timeFormatter = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Pacific/Noumea',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** "14:02:11" in Nouméa. */
export const noumeaTime = (ms: number): string => timeFormatter.format(new Date(ms));

/** "14:02" in Nouméa, what the form shows by default. */
export const noumeaHourMinute = (ms: number): string => noumeaTime(ms).slice(0, 5);

/**
 * "14:05" (or "14:05:30") typed in Nouméa time → the latest such instant not after `now` (+1 min of
 * tolerance): a call noted at 23:55 typed at 00:10 is yesterday's. null when the text is no time.
 */
export const parseNoumeaTime = (text: string, now: number): number | null => {
  const match = /^([01]?\d|2[0-3])[:h.]?([0-5]\d)(?::([0-5]\d))?$/.exec(text.trim());
  if (match === null) return null;
  const [hours, minutes, seconds] = [match[1], match[2], match[3] ?? '0'].map(Number);
  if (hours === undefined || minutes === undefined || seconds === undefined) return null;
  const local = new Date(now + NOUMEA_OFFSET_MS);
  const candidate =
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), hours, minutes, seconds) -
    NOUMEA_OFFSET_MS;
  return candidate > now + 60_000 ? candidate - 24 * 3600_000 : candidate;
};

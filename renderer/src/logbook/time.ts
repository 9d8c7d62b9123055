import { formatDateTime, formatTime, parseDateInput, parseDateTimeInput } from '../dates.js';

/** "29/11/2026 23:58:01", Nouméa time whatever the machine's zone and the browser's locale. */
export const noumeaDateTime = (iso: string): string => formatDateTime(Date.parse(iso));
export const noumeaTime = (iso: string): string => formatTime(Date.parse(iso));

/** « jj/mm/aaaa hh:mm » typed in Nouméa time → ISO instant (undefined when empty, null when invalid). */
export const localInputToIso = (value: string): string | null | undefined => parseDateTimeInput(value);
/** « jj/mm/aaaa » typed in Nouméa time → the first (or last) instant of that day. */
export const dateInputToIso = (value: string, endOfDay: boolean): string | null | undefined =>
  parseDateInput(value, endOfDay);

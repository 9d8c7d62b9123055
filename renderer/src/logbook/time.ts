const dateTime = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Pacific/Noumea',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const timeOnly = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Pacific/Noumea',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** "29/11/2026 23:58:01", Nouméa time whatever the machine's zone. */
export const noumeaDateTime = (iso: string): string => dateTime.format(new Date(iso)).replace(',', '');
export const noumeaTime = (iso: string): string => timeOnly.format(new Date(iso));

/** Nouméa is UTC+11 without daylight saving: a `datetime-local` value typed there ↔ ISO instant. */
const OFFSET = '+11:00';
export const localInputToIso = (value: string): string | undefined =>
  value === '' ? undefined : new Date(`${value}:00${OFFSET}`).toISOString();
export const dateInputToIso = (value: string, endOfDay: boolean): string | undefined =>
  value === '' ? undefined : new Date(`${value}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}${OFFSET}`).toISOString();

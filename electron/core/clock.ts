/** The directorate works in New Caledonia time (UTC+11, no daylight saving). */
export const ZONE = 'Pacific/Noumea';

const formatter = new Intl.DateTimeFormat('fr-FR', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** "29/11/2026 22:51:44" in Nouméa for an instant. */
export const formatNoumea = (ms: number): string => formatter.format(new Date(ms)).replace(',', '');

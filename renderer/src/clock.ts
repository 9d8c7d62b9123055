import { useEffect, useState } from 'react';

const formatter = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Pacific/Noumea',
  weekday: 'short',
  day: '2-digit',
  month: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** Wall time in Nouméa, whatever the machine's own time zone. */
export const formatNoumea = (ms: number): string => formatter.format(new Date(ms));

/** The current time, re-rendered every second. */
export const useNow = (): number => {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
};

import { useEffect, useState } from 'react';
import { formatClock } from './dates.js';

/** Wall time in Nouméa, whatever the machine's own time zone or the browser's locale. */
export const formatNoumea = (ms: number): string => formatClock(ms);

/** The current time, re-rendered every second. */
export const useNow = (): number => {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
};

import { useCallback, useEffect, useState } from 'react';

/** How long a command's error stays on screen. */
const SHOWN_MS = 15_000;
const MAX_SHOWN = 3;

/**
 * The last errors of call commands, each shown for a while: several commands run at once, so one's
 * success must not hide another's failure (a single message would keep only the last one).
 */
export const useMessages = (): [string[], (message: string | null) => void] => {
  const [messages, setMessages] = useState<{ text: string; until: number }[]>([]);
  const push = useCallback((message: string | null) => {
    if (message === null) return;
    setMessages((old) =>
      [...old.filter((m) => m.text !== message), { text: message, until: Date.now() + SHOWN_MS }].slice(-MAX_SHOWN),
    );
  }, []);
  useEffect(() => {
    if (messages.length === 0) return;
    const timer = setInterval(() => setMessages((old) => old.filter((m) => m.until > Date.now())), 1000);
    return () => clearInterval(timer);
  }, [messages.length]);
  return [messages.map((m) => m.text), push];
};

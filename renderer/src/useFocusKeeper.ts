import { useEffect, type RefObject } from 'react';

/**
 * The focus never stays on the page body: when the element that had it disappears (the sign-in form after
 * signing in, the shift form after opening, a button disabled while committing), Chromium leaves it on
 * <body> without any event, and the next key would do nothing useful. A light poll gives it to the entry
 * box, or else to the main courante area.
 */
export const useFocusKeeper = (
  primary: RefObject<HTMLElement | null>,
  fallback: RefObject<HTMLElement | null>,
): void => {
  useEffect(() => {
    const timer = setInterval(() => {
      const active = document.activeElement;
      if (active !== null && active !== document.body) return;
      if (!document.hasFocus()) return;
      const signIn = document.querySelector<HTMLElement>('[data-testid="signin-name"]');
      (primary.current ?? signIn ?? fallback.current)?.focus();
    }, 250);
    return () => clearInterval(timer);
  }, [primary, fallback]);
};

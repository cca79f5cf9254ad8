/** Links to a page of this app (`/reunions/...`) follow through the router instead of reloading the page. */
import { type MouseEvent, useCallback } from 'react';
import { useNavigate } from 'react-router-dom';

/** Paths the Python server answers itself: a real request, never a route of the app. */
const SERVER_PATHS = /^\/(api|auth)(\/|$)/i;

/** `/reunions/x?cues=a` yes; `//host/x`, `https://…`, `#source-1`, `/api/...` no. */
export function isInAppPath(href: string | null | undefined): href is string {
  return !!href && /^\/(?![/\\])/.test(href) && !SERVER_PATHS.test(href);
}

type ClickHandler = (event: MouseEvent<HTMLElement>) => void;

/**
 * `followInApp(href)` is an `onClick` that navigates in the app for an in-app path (undefined for
 * anything else). A click with a modifier or another button keeps the browser's behaviour (new tab…).
 */
export function useFollowInApp(): (href: string | null | undefined) => ClickHandler | undefined {
  const navigate = useNavigate();
  return useCallback(
    (href) => {
      if (!isInAppPath(href)) return undefined;
      return (event) => {
        if (event.defaultPrevented || event.button !== 0) return;
        if (event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(href);
      };
    },
    [navigate],
  );
}

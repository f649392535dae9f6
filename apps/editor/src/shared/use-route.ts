import { useCallback, useEffect, useState } from 'react';

export type Route =
  { page: 'list' } | { page: 'credentials' } | { page: 'keys' } | { page: 'flow'; flowId?: string };

/** `/` lists flows, `/flows/new` starts one, `/flows/<id>` edits one, `/credentials`, `/keys`. */
export function parseRoute(pathname: string): Route {
  if (/^\/credentials\/?$/.test(pathname)) return { page: 'credentials' };
  if (/^\/keys\/?$/.test(pathname)) return { page: 'keys' };
  const match = /^\/flows\/([^/]+)\/?$/.exec(pathname);
  if (!match) return { page: 'list' };
  return match[1] === 'new' ? { page: 'flow' } : { page: 'flow', flowId: match[1] };
}

export function routePath(route: Route): string {
  if (route.page === 'list') return '/';
  if (route.page === 'credentials') return '/credentials';
  if (route.page === 'keys') return '/keys';
  return `/flows/${route.flowId ?? 'new'}`;
}

/** Set by the editor while it has unsaved changes: asked before leaving the page in-app. */
let leaveGuard: (() => boolean) | undefined;
export function setLeaveGuard(guard: (() => boolean) | undefined): void {
  leaveGuard = guard;
}

export function useRoute() {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname));
  useEffect(() => {
    const onPop = () => setRoute(parseRoute(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((next: Route, options: { replace?: boolean } = {}) => {
    if (!options.replace && leaveGuard && !leaveGuard()) return;
    const path = routePath(next);
    if (options.replace) window.history.replaceState(null, '', path);
    else window.history.pushState(null, '', path);
    setRoute(next);
  }, []);
  return { route, navigate };
}

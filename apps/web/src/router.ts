import { useEffect, useState } from 'react';

// Five pages with one parameter at most: a router library would be more code to configure than
// this. Paths are real (history API); maintenance-api answers any page path with index.html.

/** Goes to a page of the app without a reload. */
export function navigate(path: string): void {
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The current path, following navigation. */
export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const on = () => setPath(location.pathname);
    addEventListener('popstate', on);
    return () => removeEventListener('popstate', on);
  }, []);
  return path;
}

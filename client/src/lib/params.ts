import { useSearchParams } from 'react-router';

/** A positive integer id from a URL parameter, or undefined. */
export function parseId(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const id = Number(value);
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

/** A 1-based page number from a URL parameter. */
export function parsePage(value: string | null): number {
  return parseId(value) ?? 1;
}

/**
 * The page's filters live in the address, so back/forward and shared links keep them.
 * `update` sets or clears (undefined / '') parameters; any change but a page change starts again at page 1.
 */
export function useFilterParams() {
  const [params, setParams] = useSearchParams();
  // From the address as it is now, not as it was at the last render: two changes before a re-render
  // (typing a start date, then an end date) must both land.
  const update = (changes: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(window.location.search);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === '') next.delete(key);
      else next.set(key, String(value));
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  };
  return [params, update] as const;
}

import { useQuery } from '@tanstack/react-query';
import type { SiteInfoDto } from '@contracts/api';
import { apiRequest } from './http';

/** How this server is reached (its HTTPS port); it doesn't change while the page is open. */
export function useSiteInfo() {
  return useQuery({ queryKey: ['site'], queryFn: () => apiRequest<SiteInfoDto>('/api/site'), staleTime: Infinity });
}

/** This page's address on the server's HTTPS port, or null when the server serves no HTTPS itself. */
export function secureAddress(httpsPort: number | null, location: Location = window.location): string | null {
  if (httpsPort === null) return null;
  const port = httpsPort === 443 ? '' : `:${httpsPort}`;
  return `https://${location.hostname}${port}${location.pathname}${location.search}`;
}

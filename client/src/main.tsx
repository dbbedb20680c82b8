import './i18n';
import './styles.css';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { ApiRequestError, setUnauthorizedHandler } from './api/http';
import { getSession, subscribeSession } from './auth/session';
import { routes } from './routes';

const router = createBrowserRouter(routes);

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // Retrying a refusal (4xx) cannot change the answer; retry only network failures and 5xx, twice.
      retry: (failureCount, error) =>
        failureCount < 2 && !(error instanceof ApiRequestError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

// What a page shows depends on who asks (drafts, private resources): a new identity starts from a clean cache.
let identity = getSession()?.accessToken;
subscribeSession(() => {
  const next = getSession()?.accessToken;
  if (next === identity) return;
  identity = next;
  void queryClient.resetQueries();
});

// A token the server no longer accepts: ask the user to log in again (the session is dropped after this).
setUnauthorizedHandler(async () => {
  const { pathname, search } = router.state.location;
  if (pathname === '/login') return;
  // flushSync: the login page must be on screen before the session goes, or the old page redirects by itself.
  await router.navigate(`/login?expired=1&next=${encodeURIComponent(pathname + search)}`, { replace: true, flushSync: true });
});

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);

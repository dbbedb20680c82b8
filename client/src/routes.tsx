import { lazy } from 'react';
import type { RouteObject } from 'react-router';
import { ROLES } from '@contracts/api';
import { Layout } from './components/Layout';
import { RequireRole } from './components/RequireRole';
import { CataloguePage } from './pages/CataloguePage';
import { CoursePage } from './pages/CoursePage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';

// Administration and the course editor: a classroom screen on a thin rural link never downloads them.
const SchoolPage = lazy(() => import('./pages/admin/SchoolPage').then((m) => ({ default: m.SchoolPage })));
const SchoolsPage = lazy(() => import('./pages/admin/SchoolsPage').then((m) => ({ default: m.SchoolsPage })));
const UsersPage = lazy(() => import('./pages/admin/UsersPage').then((m) => ({ default: m.UsersPage })));
const CourseEditorPage = lazy(() => import('./pages/editor/CourseEditorPage').then((m) => ({ default: m.CourseEditorPage })));
const MyCoursesPage = lazy(() => import('./pages/MyCoursesPage').then((m) => ({ default: m.MyCoursesPage })));

// Scheduling pages are for admins, teachers and classroom screens only: a visitor of the catalogue doesn't load them.
const TimetablePage = lazy(() => import('./pages/timetable/TimetablePage').then((m) => ({ default: m.TimetablePage })));
const CoveragePage = lazy(() => import('./pages/admin/CoveragePage').then((m) => ({ default: m.CoveragePage })));
const MySchedulePage = lazy(() => import('./pages/MySchedulePage').then((m) => ({ default: m.MySchedulePage })));
const TodayPage = lazy(() => import('./pages/classroom/TodayPage').then((m) => ({ default: m.TodayPage })));
// The live class brings mediasoup-client and socket.io: loaded only by those who enter one.
const LivePage = lazy(() => import('./pages/live/LivePage').then((m) => ({ default: m.LivePage })));
// The replay brings hls.js: loaded only by those who watch one.
const RecordingPage = lazy(() => import('./pages/recordings/RecordingPage').then((m) => ({ default: m.RecordingPage })));
const SessionRecordingPage = lazy(() =>
  import('./pages/recordings/RecordingPage').then((m) => ({ default: m.SessionRecordingPage })),
);
const RecordingsPage = lazy(() => import('./pages/admin/RecordingsPage').then((m) => ({ default: m.RecordingsPage })));

/** Every page of the app; main.tsx mounts them in a browser router. */
export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { index: true, element: <CataloguePage /> },
      { path: 'login', element: <LoginPage /> },
      { path: 'courses/:id', element: <CoursePage /> },
      {
        path: 'my/courses',
        element: (
          <RequireRole roles={['teacher', 'admin']}>
            <MyCoursesPage />
          </RequireRole>
        ),
      },
      {
        path: 'my/courses/:id',
        element: (
          <RequireRole roles={['teacher', 'admin']}>
            <CourseEditorPage />
          </RequireRole>
        ),
      },
      {
        path: 'my/schedule',
        element: (
          <RequireRole roles={['teacher']}>
            <MySchedulePage />
          </RequireRole>
        ),
      },
      {
        path: 'classroom/today',
        element: (
          <RequireRole roles={['classroom']}>
            <TodayPage />
          </RequireRole>
        ),
      },
      {
        path: 'live/:sessionId',
        element: (
          <RequireRole roles={['teacher', 'classroom', 'admin']}>
            <LivePage />
          </RequireRole>
        ),
      },
      {
        path: 'recordings/:id',
        element: (
          <RequireRole roles={[...ROLES]}>
            <RecordingPage />
          </RequireRole>
        ),
      },
      {
        path: 'sessions/:id/recording',
        element: (
          <RequireRole roles={[...ROLES]}>
            <SessionRecordingPage />
          </RequireRole>
        ),
      },
      {
        path: 'admin/recordings',
        element: (
          <RequireRole roles={['admin']}>
            <RecordingsPage />
          </RequireRole>
        ),
      },
      {
        path: 'admin/timetable',
        element: (
          <RequireRole roles={['admin']}>
            <TimetablePage />
          </RequireRole>
        ),
      },
      {
        path: 'admin/coverage',
        element: (
          <RequireRole roles={['admin']}>
            <CoveragePage />
          </RequireRole>
        ),
      },
      {
        path: 'admin/schools',
        element: (
          <RequireRole roles={['admin']}>
            <SchoolsPage />
          </RequireRole>
        ),
      },
      {
        path: 'admin/schools/:id',
        element: (
          <RequireRole roles={['admin']}>
            <SchoolPage />
          </RequireRole>
        ),
      },
      {
        path: 'admin/users',
        element: (
          <RequireRole roles={['admin']}>
            <UsersPage />
          </RequireRole>
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

import type { RouteObject } from 'react-router';
import { Layout } from './components/Layout';
import { RequireRole } from './components/RequireRole';
import { SchoolPage } from './pages/admin/SchoolPage';
import { SchoolsPage } from './pages/admin/SchoolsPage';
import { UsersPage } from './pages/admin/UsersPage';
import { CataloguePage } from './pages/CataloguePage';
import { CoursePage } from './pages/CoursePage';
import { CourseEditorPage } from './pages/editor/CourseEditorPage';
import { LoginPage } from './pages/LoginPage';
import { MyCoursesPage } from './pages/MyCoursesPage';
import { NotFoundPage } from './pages/NotFoundPage';

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

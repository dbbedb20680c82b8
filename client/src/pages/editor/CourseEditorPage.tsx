import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { CourseDetailDto } from '@contracts/api';
import { useArchiveCourse, useCourse, useDeleteCourse, useUpdateCourse } from '../../api/catalogue';
import { canManageCourse } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/session';
import { ConfirmButton } from '../../components/ConfirmButton';
import { CourseForm } from '../../components/CourseForm';
import { ErrorMessage } from '../../components/ErrorMessage';
import { QueryView } from '../../components/QueryView';
import { parseId } from '../../lib/params';
import { NotFoundPage } from '../NotFoundPage';
import { CoverEditor } from './CoverEditor';
import { LessonsEditor } from './LessonsEditor';
import { ResourcesEditor } from './ResourcesEditor';

function DetailsEditor({ course }: { course: CourseDetailDto }) {
  const { t } = useTranslation();
  const update = useUpdateCourse(course.id);
  return (
    <section className="card">
      <h2>{t('editor.details')}</h2>
      <CourseForm
        // Re-initialise the fields whenever the server's copy changes.
        key={course.updatedAt}
        initial={{
          title: course.title,
          description: course.description,
          subjectId: course.subject.id,
          gradeId: course.grade.id,
          status: course.status,
        }}
        pending={update.isPending}
        error={update.error}
        onSubmit={(request) => update.mutate(request)}
      />
      {update.isSuccess && (
        <p className="alert alert-success" role="status" data-testid="course-saved">
          {t('common.saved')}
        </p>
      )}
    </section>
  );
}

function Editor({ course }: { course: CourseDetailDto }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const user = useCurrentUser();
  const remove = useDeleteCourse(course.id);
  const archive = useArchiveCourse(course.id);

  if (!canManageCourse(user, course)) {
    return (
      <div className="alert alert-error" role="alert">
        <p className="alert-headline">{t('common.forbidden')}</p>
      </div>
    );
  }

  return (
    <div className="editor">
      <title>{`${t('editor.title', { title: course.title })} · ${t('app.name')}`}</title>
      <div className="page-heading">
        <h1 data-testid="course-title">{t('editor.title', { title: course.title })}</h1>
        <Link to={`/courses/${course.id}`} className="button-link">
          {t('editor.viewPublic')}
        </Link>
      </div>
      <div className="editor-columns">
        <DetailsEditor course={course} />
        <CoverEditor course={course} />
      </div>
      <LessonsEditor courseId={course.id} lessons={course.lessons} />
      <ResourcesEditor course={course} />
      <section className="card danger-zone">
        {course.archivedAt ? (
          <>
            <p data-testid="course-archived">{t('editor.archivedNotice')}</p>
            <button type="button" onClick={() => archive.mutate(false)} disabled={archive.isPending} data-testid="course-restore">
              {t('editor.restoreCourse')}
            </button>
          </>
        ) : (
          <>
            <p className="field-hint">{t('editor.archiveHint')}</p>
            <button type="button" onClick={() => archive.mutate(true)} disabled={archive.isPending} data-testid="course-archive">
              {t('editor.archiveCourse')}
            </button>
            <ConfirmButton
              label={t('editor.deleteCourse')}
              question={t('common.confirmDelete', { name: course.title })}
              pending={remove.isPending}
              onConfirm={() => remove.mutate(undefined, { onSuccess: () => void navigate('/my/courses') })}
              testId="course-delete"
            />
          </>
        )}
        {archive.isError && <ErrorMessage error={archive.error} />}
        {remove.isError && <ErrorMessage error={remove.error} />}
      </section>
    </div>
  );
}

function EditorLoader({ id }: { id: number }) {
  const course = useCourse(id);
  return <QueryView query={course}>{(data) => <Editor course={data} />}</QueryView>;
}

export function CourseEditorPage() {
  const id = parseId(useParams().id);
  if (id === undefined) return <NotFoundPage />;
  return <EditorLoader id={id} />;
}

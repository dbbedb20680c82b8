import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { VISIBILITIES, type CourseDetailDto, type LessonDto, type ResourceDto, type Visibility } from '@contracts/api';
import {
  useCourseResources,
  useDeleteResource,
  useUpdateResource,
  useUploadResource,
  useUploadVersion,
} from '../../api/resources';
import { canManageResource } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/session';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { QueryView } from '../../components/QueryView';
import { ResourceGroups } from '../../components/ResourceItem';
import { UploadStatus } from '../../components/UploadStatus';
import { useFileUpload } from '../../lib/useFileUpload';

function LessonOptions({ lessons }: { lessons: LessonDto[] }) {
  const { t } = useTranslation();
  return (
    <>
      <option value="">{t('course.wholeCourse')}</option>
      {lessons.map((lesson, index) => (
        <option key={lesson.id} value={lesson.id}>
          {t('course.lessonNumber', { n: index + 1 })} · {lesson.title}
        </option>
      ))}
    </>
  );
}

function VisibilityOptions() {
  const { t } = useTranslation();
  return (
    <>
      {VISIBILITIES.map((visibility) => (
        <option key={visibility} value={visibility}>
          {t(`visibility.${visibility}`)}
        </option>
      ))}
    </>
  );
}

/** "photo.final.jpg" → "photo.final": a sensible title when the teacher leaves it empty. */
function titleFromFilename(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot > 0 ? filename.slice(0, dot) : filename;
}

function UploadForm({ courseId, lessons }: { courseId: number; lessons: LessonDto[] }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [visibility, setVisibility] = useState<Visibility>('school');
  const [lessonId, setLessonId] = useState<number | null>(null);
  const picked = useFileUpload();
  const upload = useUploadResource(courseId);

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { file } = picked;
    if (!file) return;
    picked.setPercent(0);
    upload.mutate(
      { title: title.trim() || titleFromFilename(file.name), visibility, lessonId, file, onProgress: picked.setPercent },
      {
        onSuccess: () => {
          setTitle('');
          picked.clear();
        },
      },
    );
  };

  return (
    <form className="card form" onSubmit={submit}>
      <h3>{t('upload.newResource')}</h3>
      <div className="form-row">
        <label>
          <span>{t('resource.title')}</span>
          <input
            maxLength={200}
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            data-testid="resource-title-input"
          />
        </label>
        <label>
          <span>{t('resource.visibility')}</span>
          <select
            value={visibility}
            onChange={(event) => setVisibility(event.target.value as Visibility)}
            data-testid="resource-visibility-select"
          >
            <VisibilityOptions />
          </select>
        </label>
        <label>
          <span>{t('resource.lesson')}</span>
          <select
            value={lessonId ?? ''}
            onChange={(event) => setLessonId(event.target.value ? Number(event.target.value) : null)}
            data-testid="resource-lesson-select"
          >
            <LessonOptions lessons={lessons} />
          </select>
        </label>
      </div>
      <label>
        <span>{t('resource.file')}</span>
        <input
          key={picked.inputKey}
          type="file"
          required
          onChange={picked.onFileChange}
          data-testid="resource-file-input"
        />
      </label>
      <div className="form-actions">
        <button type="submit" disabled={upload.isPending || !picked.file} data-testid="resource-upload">
          {upload.isPending ? t('upload.uploading', { percent: picked.percent }) : t('upload.upload')}
        </button>
      </div>
      <UploadStatus status={upload.status} percent={picked.percent} error={upload.error} testIdPrefix="upload" />
    </form>
  );
}

function NewVersion({ resource }: { resource: ResourceDto }) {
  const { t } = useTranslation();
  const picked = useFileUpload();
  const upload = useUploadVersion();

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!picked.file) return;
    picked.setPercent(0);
    upload.mutate(
      { resourceId: resource.id, file: picked.file, onProgress: picked.setPercent },
      { onSuccess: picked.clear },
    );
  };

  return (
    <form className="inline-form" onSubmit={submit}>
      <label>
        <span>{t('upload.newVersion')}</span>
        <input
          key={picked.inputKey}
          type="file"
          required
          onChange={picked.onFileChange}
          data-testid="version-file-input"
        />
      </label>
      <button type="submit" disabled={upload.isPending || !picked.file} data-testid="version-upload">
        {upload.isPending ? t('upload.uploading', { percent: picked.percent }) : t('upload.upload')}
      </button>
      <UploadStatus status={upload.status} percent={picked.percent} error={upload.error} testIdPrefix="version" />
    </form>
  );
}

function ResourceControls({ resource, lessons }: { resource: ResourceDto; lessons: LessonDto[] }) {
  const { t } = useTranslation();
  const update = useUpdateResource();
  const remove = useDeleteResource();
  return (
    <div className="resource-controls">
      <div className="inline-form">
        <label>
          <span>{t('editor.changeVisibility')}</span>
          <select
            value={resource.visibility}
            disabled={update.isPending}
            onChange={(event) => update.mutate({ id: resource.id, visibility: event.target.value as Visibility })}
            data-testid="resource-visibility-edit"
          >
            <VisibilityOptions />
          </select>
        </label>
        <label>
          <span>{t('editor.changeLesson')}</span>
          <select
            value={resource.lessonId ?? ''}
            disabled={update.isPending}
            onChange={(event) =>
              update.mutate({ id: resource.id, lessonId: event.target.value ? Number(event.target.value) : null })
            }
            data-testid="resource-lesson-edit"
          >
            <LessonOptions lessons={lessons} />
          </select>
        </label>
        <ConfirmButton
          label={t('common.delete')}
          question={t('common.confirmDelete', { name: resource.title })}
          pending={remove.isPending}
          onConfirm={() => remove.mutate(resource.id)}
          testId="resource-delete"
        />
      </div>
      {update.isError && <ErrorMessage error={update.error} />}
      {remove.isError && <ErrorMessage error={remove.error} />}
      <NewVersion resource={resource} />
    </div>
  );
}

export function ResourcesEditor({ course }: { course: CourseDetailDto }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const resources = useCourseResources(course.id);
  return (
    <section className="card">
      <h2>{t('editor.resources')}</h2>
      <UploadForm courseId={course.id} lessons={course.lessons} />
      <QueryView query={resources}>
        {(list) => (
          <ResourceGroups
            resources={list}
            lessons={course.lessons}
            showHistory={() => true}
            renderControls={(resource) =>
              canManageResource(user, course, resource) ? (
                <ResourceControls resource={resource} lessons={course.lessons} />
              ) : null
            }
          />
        )}
      </QueryView>
    </section>
  );
}

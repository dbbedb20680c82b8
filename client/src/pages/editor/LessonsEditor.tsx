import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LessonDto } from '@contracts/api';
import { useAddLesson, useDeleteLesson, useReorderLessons, useUpdateLesson } from '../../api/catalogue';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Empty } from '../../components/QueryView';

function LessonRow({
  lesson,
  index,
  count,
  busy,
  onMove,
}: {
  lesson: LessonDto;
  index: number;
  count: number;
  busy: boolean;
  onMove: (from: number, to: number) => void;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(lesson.title);
  const update = useUpdateLesson();
  const remove = useDeleteLesson();

  const save = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    update.mutate({ id: lesson.id, title: title.trim() }, { onSuccess: () => setEditing(false) });
  };

  return (
    <li className="lesson-item editable" data-testid="lesson-item">
      <span className="lesson-number">{t('course.lessonNumber', { n: index + 1 })}</span>
      {editing ? (
        <form className="inline-form" onSubmit={save}>
          <input
            required
            maxLength={200}
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            aria-label={t('editor.lessonTitle')}
            data-testid="lesson-edit-input"
          />
          <button type="submit" disabled={update.isPending} data-testid="lesson-edit-save">
            {update.isPending ? t('common.saving') : t('common.save')}
          </button>
          <button
            type="button"
            className="button-secondary"
            onClick={() => {
              setTitle(lesson.title);
              setEditing(false);
            }}
          >
            {t('common.cancel')}
          </button>
        </form>
      ) : (
        <span className="lesson-title">{lesson.title}</span>
      )}
      <span className="row-actions">
        {!editing && (
          <button type="button" className="button-secondary" onClick={() => setEditing(true)} data-testid="lesson-edit">
            {t('common.edit')}
          </button>
        )}
        <button
          type="button"
          className="button-secondary"
          disabled={busy || index === 0}
          onClick={() => onMove(index, index - 1)}
          aria-label={`${t('editor.moveUp')}: ${lesson.title}`}
          data-testid="lesson-up"
        >
          ↑ {t('editor.moveUp')}
        </button>
        <button
          type="button"
          className="button-secondary"
          disabled={busy || index === count - 1}
          onClick={() => onMove(index, index + 1)}
          aria-label={`${t('editor.moveDown')}: ${lesson.title}`}
          data-testid="lesson-down"
        >
          ↓ {t('editor.moveDown')}
        </button>
        <ConfirmButton
          label={t('common.delete')}
          question={t('common.confirmDelete', { name: lesson.title })}
          pending={remove.isPending}
          onConfirm={() => remove.mutate(lesson.id)}
          testId="lesson-delete"
        />
      </span>
      {update.isError && <ErrorMessage error={update.error} />}
      {remove.isError && <ErrorMessage error={remove.error} />}
    </li>
  );
}

export function LessonsEditor({ courseId, lessons }: { courseId: number; lessons: LessonDto[] }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const add = useAddLesson(courseId);
  const reorder = useReorderLessons(courseId);

  const onAdd = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    add.mutate({ title: title.trim() }, { onSuccess: () => setTitle('') });
  };

  const onMove = (from: number, to: number) => {
    const ids = lessons.map((lesson) => lesson.id);
    [ids[from], ids[to]] = [ids[to], ids[from]];
    reorder.mutate({ lessonIds: ids });
  };

  return (
    <section className="card">
      <h2>{t('editor.lessons')}</h2>
      {lessons.length === 0 ? (
        <Empty>{t('course.noLessons')}</Empty>
      ) : (
        <ol className="lesson-list">
          {lessons.map((lesson, index) => (
            <LessonRow
              key={`${lesson.id}:${lesson.title}`}
              lesson={lesson}
              index={index}
              count={lessons.length}
              busy={reorder.isPending}
              onMove={onMove}
            />
          ))}
        </ol>
      )}
      {reorder.isError && <ErrorMessage error={reorder.error} />}
      <form className="inline-form" onSubmit={onAdd}>
        <input
          required
          maxLength={200}
          value={title}
          onChange={(event) => setTitle(event.target.value)}
          placeholder={t('editor.lessonTitle')}
          aria-label={t('editor.lessonTitle')}
          data-testid="lesson-title-input"
        />
        <button type="submit" disabled={add.isPending} data-testid="lesson-add">
          {t('editor.addLesson')}
        </button>
      </form>
      {add.isError && <ErrorMessage error={add.error} testId="lesson-error" />}
    </section>
  );
}

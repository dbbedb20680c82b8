import type { SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CourseDetailDto } from '@contracts/api';
import { useUploadCover } from '../../api/catalogue';
import { CourseCover } from '../../components/CourseCard';
import { UploadStatus } from '../../components/UploadStatus';
import { useFileUpload } from '../../lib/useFileUpload';

export function CoverEditor({ course }: { course: CourseDetailDto }) {
  const { t } = useTranslation();
  const picked = useFileUpload();
  const upload = useUploadCover(course.id);

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!picked.file) return;
    picked.setPercent(0);
    upload.mutate({ file: picked.file, onProgress: picked.setPercent }, { onSuccess: picked.clear });
  };

  return (
    <section className="card cover-editor">
      <h2>{t('editor.cover')}</h2>
      <CourseCover course={course} />
      <form className="inline-form" onSubmit={submit}>
        <input
          key={picked.inputKey}
          type="file"
          accept="image/*"
          required
          onChange={picked.onFileChange}
          aria-label={t('upload.cover')}
          data-testid="cover-file-input"
        />
        <button type="submit" disabled={upload.isPending || !picked.file} data-testid="cover-upload">
          {upload.isPending ? t('upload.uploading', { percent: picked.percent }) : t('upload.cover')}
        </button>
      </form>
      <UploadStatus status={upload.status} percent={picked.percent} error={upload.error} testIdPrefix="cover" />
    </section>
  );
}

import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useCourses, useGrades, useSubjects } from '../api/catalogue';
import { CourseCard } from '../components/CourseCard';
import { PagedList } from '../components/PagedList';
import { ReferenceSelect } from '../components/ReferenceSelect';
import { parseId, parsePage, useFilterParams } from '../lib/params';

const PAGE_SIZE = 12;

function SearchBox({ initial, onSearch }: { initial: string; onSearch: (q: string) => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState(initial);
  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSearch(value.trim());
  };
  return (
    <form className="search-box" role="search" onSubmit={onSubmit}>
      <input
        type="search"
        maxLength={100}
        value={value}
        onChange={(event) => setValue(event.target.value)}
        placeholder={t('catalogue.searchPlaceholder')}
        aria-label={t('catalogue.search')}
        data-testid="search-input"
      />
      <button type="submit" data-testid="search-submit">
        {t('catalogue.search')}
      </button>
    </form>
  );
}

export function CataloguePage() {
  const { t } = useTranslation();
  const [params, update] = useFilterParams();
  const q = params.get('q') ?? '';
  const subjectId = parseId(params.get('subjectId'));
  const gradeId = parseId(params.get('gradeId'));
  const page = parsePage(params.get('page'));
  const subjects = useSubjects();
  const grades = useGrades();
  const courses = useCourses({ q: q || undefined, subjectId, gradeId, page, pageSize: PAGE_SIZE });

  return (
    <section>
      <title>{`${t('catalogue.title')} · ${t('app.name')}`}</title>
      <h1>{t('catalogue.title')}</h1>
      <PagedList
        query={courses}
        filters={
          <>
            <SearchBox key={q} initial={q} onSearch={(value) => update({ q: value })} />
            <label className="inline-field">
              <span>{t('catalogue.subject')}</span>
              <ReferenceSelect
                items={subjects.data}
                value={subjectId}
                onChange={(id) => update({ subjectId: id ?? undefined })}
                emptyLabel={t('catalogue.allSubjects')}
                testId="subject-filter"
              />
            </label>
            <label className="inline-field">
              <span>{t('catalogue.grade')}</span>
              <ReferenceSelect
                items={grades.data}
                value={gradeId}
                onChange={(id) => update({ gradeId: id ?? undefined })}
                emptyLabel={t('catalogue.allGrades')}
                testId="grade-filter"
              />
            </label>
          </>
        }
        total={{ testId: 'course-total', text: (count) => t('catalogue.total', { count }) }}
        empty={t('catalogue.empty')}
        className="course-grid"
        onPage={(next) => update({ page: next })}
      >
        {(course) => <CourseCard key={course.id} course={course} />}
      </PagedList>
    </section>
  );
}

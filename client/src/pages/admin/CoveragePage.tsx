import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CoverageQuery, CoverageReportDto, CoverageRowDto, GradeDto } from '@contracts/api';
import { useSchools } from '../../api/admin';
import { useGrades, useSubjects } from '../../api/catalogue';
import { coverageCsvUrl, useCoverage } from '../../api/scheduling';
import { Empty, QueryView } from '../../components/QueryView';
import { ReferenceSelect } from '../../components/ReferenceSelect';
import { SchoolSelect } from '../../components/SchoolSelect';
import { useFormat } from '../../lib/format';
import { parseId, useFilterParams } from '../../lib/params';
import { addDays, DEFAULT_TIMEZONE, isLocalDate, mondayOf, today } from '../../lib/time';
import { RequirementsEditor } from './RequirementsEditor';
import { SuggestionsPanel } from './SuggestionsPanel';

const cellKey = (classroomId: number, subjectId: number) => `${classroomId}:${subjectId}`;

interface Matrix {
  classrooms: Pick<CoverageRowDto, 'classroomId' | 'classroomName' | 'schoolName' | 'gradeId'>[];
  subjects: Pick<CoverageRowDto, 'subjectId' | 'subjectNameZh' | 'subjectNameEn'>[];
  cells: Map<string, CoverageRowDto>;
}

/** The report's rows (gaps first) rearranged as classrooms × subjects, classrooms by school and name. */
function toMatrix(report: CoverageReportDto, locale: string): Matrix {
  const classrooms = new Map<number, Matrix['classrooms'][number]>();
  const subjects = new Map<number, Matrix['subjects'][number]>();
  const cells = new Map<string, CoverageRowDto>();
  for (const row of report.rows) {
    if (!classrooms.has(row.classroomId)) classrooms.set(row.classroomId, row);
    if (!subjects.has(row.subjectId)) subjects.set(row.subjectId, row);
    cells.set(cellKey(row.classroomId, row.subjectId), row);
  }
  const collator = new Intl.Collator(locale);
  return {
    classrooms: [...classrooms.values()].sort(
      (a, b) => collator.compare(a.schoolName, b.schoolName) || collator.compare(a.classroomName, b.classroomName),
    ),
    subjects: [...subjects.values()].sort((a, b) => a.subjectId - b.subjectId),
    cells,
  };
}

interface CellProps {
  classroomId: number;
  subjectId: number;
  row: CoverageRowDto | undefined;
  selected: boolean;
  onOpen: (row: CoverageRowDto) => void;
}

function CoverageCell({ classroomId, subjectId, row, selected, onOpen }: CellProps) {
  const { t } = useTranslation();
  const required = row?.required ?? 0;
  const gap = row?.gap ?? 0;
  const common = {
    'data-testid': 'coverage-cell',
    'data-classroom-id': classroomId,
    'data-subject-id': subjectId,
    'data-gap': gap,
  };
  if (!row || required === 0) return <td className="coverage-cell cell-none" {...common} />;
  const label = `${row.booked}/${row.required}`;
  if (gap === 0) {
    return (
      <td className="coverage-cell cell-met" title={t('coverage.cellMet', { booked: row.booked, required })} {...common}>
        {label}
      </td>
    );
  }
  const onKeyDown = (event: KeyboardEvent<HTMLTableCellElement>) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen(row);
    }
  };
  return (
    <td
      className={selected ? 'coverage-cell cell-gap selected' : 'coverage-cell cell-gap'}
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      title={t('coverage.cellGap', { count: gap, booked: row.booked, required })}
      onClick={() => onOpen(row)}
      onKeyDown={onKeyDown}
      {...common}
    >
      {label}
    </td>
  );
}

function MatrixTable({
  report,
  grades,
  selected,
  onOpen,
}: {
  report: CoverageReportDto;
  grades: GradeDto[];
  selected: string | null;
  onOpen: (row: CoverageRowDto) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const matrix = toMatrix(report, format.locale);
  if (matrix.classrooms.length === 0) return <Empty>{t('coverage.empty')}</Empty>;
  return (
    <div className="table-wrap">
      <table className="coverage-matrix" data-testid="coverage-matrix">
        <thead>
          <tr>
            <th>{t('coverage.classroom')}</th>
            {matrix.subjects.map((subject) => (
              <th key={subject.subjectId} className="coverage-subject">
                {format.name({ nameZh: subject.subjectNameZh, nameEn: subject.subjectNameEn })}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.classrooms.map((room) => {
            const grade = grades.find((candidate) => candidate.id === room.gradeId);
            return (
              <tr key={room.classroomId} data-testid="coverage-row" data-classroom-id={room.classroomId}>
                <th scope="row" className="coverage-room">
                  <div className="coverage-room-text">
                    <span>{room.schoolName}</span>
                    <strong>{room.classroomName}</strong>
                    {grade && <span className="muted">{format.name(grade)}</span>}
                  </div>
                </th>
                {matrix.subjects.map((subject) => {
                  const key = cellKey(room.classroomId, subject.subjectId);
                  return (
                    <CoverageCell
                      key={subject.subjectId}
                      classroomId={room.classroomId}
                      subjectId={subject.subjectId}
                      row={matrix.cells.get(key)}
                      selected={selected === key}
                      onOpen={onOpen}
                    />
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Which classrooms get the periods their grade needs in a date range, and one-click fixes for the gaps. */
export function CoveragePage() {
  const { t } = useTranslation();
  const [params, update] = useFilterParams();
  const schools = useSchools();
  const grades = useGrades();
  const subjects = useSubjects();
  const thisMonday = mondayOf(today(DEFAULT_TIMEZONE));
  const fromParam = params.get('from');
  const toParam = params.get('to');
  const from = isLocalDate(fromParam) ? fromParam : thisMonday;
  const to = isLocalDate(toParam) ? toParam : addDays(mondayOf(from), 6);
  const schoolId = parseId(params.get('schoolId'));
  const gradeId = parseId(params.get('gradeId'));
  const subjectId = parseId(params.get('subjectId'));
  const validRange = from <= to;
  const query: CoverageQuery = { from, to, schoolId, gradeId, subjectId };
  const coverage = useCoverage(query, validRange);
  const [selected, setSelected] = useState<string | null>(null);
  const selectedRow = selected ? coverage.data?.rows.find((row) => cellKey(row.classroomId, row.subjectId) === selected) : undefined;
  const change = (changes: Record<string, string | number | undefined>) => {
    setSelected(null);
    update(changes);
  };

  return (
    <section>
      <title>{`${t('coverage.title')} · ${t('app.name')}`}</title>
      <div className="page-heading">
        <h1>{t('coverage.title')}</h1>
        {validRange && (
          <a className="button-link button-secondary" href={coverageCsvUrl(query)} download data-testid="coverage-csv">
            {t('coverage.csv')}
          </a>
        )}
      </div>
      <div className="toolbar">
        <label className="inline-field">
          <span>{t('coverage.from')}</span>
          <input
            type="date"
            required
            value={from}
            onChange={(event) => change({ from: event.target.value })}
            data-testid="coverage-from"
          />
        </label>
        <label className="inline-field">
          <span>{t('coverage.to')}</span>
          <input
            type="date"
            required
            value={to}
            onChange={(event) => change({ to: event.target.value })}
            data-testid="coverage-to"
          />
        </label>
        <label className="inline-field">
          <span>{t('coverage.school')}</span>
          <SchoolSelect
            schools={schools.data ?? []}
            value={schoolId}
            onChange={(id) => change({ schoolId: id })}
            emptyLabel={t('timetable.allSchools')}
            testId="coverage-school-filter"
          />
        </label>
        <label className="inline-field">
          <span>{t('coverage.grade')}</span>
          <ReferenceSelect
            items={grades.data}
            value={gradeId}
            onChange={(id) => change({ gradeId: id ?? undefined })}
            emptyLabel={t('catalogue.allGrades')}
            testId="coverage-grade-filter"
          />
        </label>
        <label className="inline-field">
          <span>{t('coverage.subject')}</span>
          <ReferenceSelect
            items={subjects.data}
            value={subjectId}
            onChange={(id) => change({ subjectId: id ?? undefined })}
            emptyLabel={t('catalogue.allSubjects')}
            testId="coverage-subject-filter"
          />
        </label>
      </div>
      {!validRange ? (
        <p className="alert alert-error" role="alert" data-testid="coverage-range-error">
          {t('coverage.badRange')}
        </p>
      ) : (
        <div className={selectedRow ? 'timetable-layout with-panel' : 'timetable-layout'}>
          <div className="timetable-scroll">
            <QueryView query={coverage}>
              {(report) => (
                <>
                  <p className="total" data-testid="coverage-summary">
                    {t('coverage.summary', {
                      count: report.weeks,
                      gaps: report.rows.filter((row) => row.gap > 0).length,
                    })}
                  </p>
                  <p className="legend">
                    <span className="legend-item cell-gap">{t('coverage.legendGap')}</span>
                    <span className="legend-item cell-met">{t('coverage.legendMet')}</span>
                  </p>
                  <MatrixTable
                    report={report}
                    grades={grades.data ?? []}
                    selected={selected}
                    onOpen={(row) => setSelected(cellKey(row.classroomId, row.subjectId))}
                  />
                </>
              )}
            </QueryView>
          </div>
          {selectedRow && (
            <SuggestionsPanel
              key={selected}
              row={selectedRow}
              from={from}
              to={to}
              onClose={() => setSelected(null)}
            />
          )}
        </div>
      )}
      <RequirementsEditor />
    </section>
  );
}

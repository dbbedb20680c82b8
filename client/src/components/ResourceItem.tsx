import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { LessonDto, ResourceDto, ResourceVersionDto } from '@contracts/api';
import { useResourceDetail } from '../api/resources';
import { useFormat } from '../lib/format';
import { groupResources, type ResourceGroup } from '../lib/resources';

function VersionLine({ version }: { version: ResourceVersionDto }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <li className="version" data-testid="resource-version">
      <span>{t('resource.version', { n: version.version })}</span>
      <a href={version.downloadUrl} download>
        {version.filename}
      </a>
      <span className="muted">{format.bytes(version.size)}</span>
      <span className="muted">{t('resource.uploadedAt', { date: format.date(version.createdAt) })}</span>
    </li>
  );
}

/** Every version but the latest, fetched only for people who manage the resource. */
function OlderVersions({ resource }: { resource: ResourceDto }) {
  const { t } = useTranslation();
  const detail = useResourceDetail(resource.id, resource.versionCount > 1);
  const older = (detail.data?.versions ?? [])
    .filter((version) => version.id !== resource.latest.id)
    .sort((a, b) => b.version - a.version);
  if (older.length === 0) return null;
  return (
    <details className="older-versions">
      <summary>{t('resource.olderVersions')}</summary>
      <ul>
        {older.map((version) => (
          <VersionLine key={version.id} version={version} />
        ))}
      </ul>
    </details>
  );
}

interface Props {
  resource: ResourceDto;
  /** Owners and admins see the version history. */
  showHistory: boolean;
  /** Editing controls, shown under the description. */
  children?: ReactNode;
}

export function ResourceItem({ resource, showHistory, children }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const { latest } = resource;
  return (
    <li className="resource-item" data-testid="resource-item">
      <div className="resource-main">
        <span className={`kind kind-${resource.kind}`}>{t(`kind.${resource.kind}`)}</span>
        <div className="resource-text">
          <strong className="resource-title">{resource.title}</strong>
          <span className="resource-meta">
            <span>{latest.filename}</span>
            <span>{format.bytes(latest.size)}</span>
            <span>{t('resource.versions', { count: resource.versionCount })}</span>
            <span className={`tag tag-${resource.visibility}`}>{t(`visibility.${resource.visibility}`)}</span>
            <span>{t('resource.uploadedAt', { date: format.date(latest.createdAt) })}</span>
          </span>
        </div>
        <a
          className="button-link"
          href={latest.downloadUrl}
          download
          data-testid="resource-download"
        >
          {t('resource.download')}
        </a>
      </div>
      {showHistory && <OlderVersions resource={resource} />}
      {children}
    </li>
  );
}

function GroupHeading({ group, lessons }: { group: ResourceGroup; lessons: LessonDto[] }) {
  const { t } = useTranslation();
  if (!group.lesson) return <h3>{t('course.wholeCourse')}</h3>;
  const number = lessons.findIndex((lesson) => lesson.id === group.lesson?.id) + 1;
  return (
    <h3>
      {t('course.lessonNumber', { n: number })} · {group.lesson.title}
    </h3>
  );
}

interface GroupsProps {
  resources: ResourceDto[];
  lessons: LessonDto[];
  showHistory: (resource: ResourceDto) => boolean;
  renderControls?: (resource: ResourceDto) => ReactNode;
}

/** Resources under "whole course" and then under each lesson, in lesson order. */
export function ResourceGroups({ resources, lessons, showHistory, renderControls }: GroupsProps) {
  const { t } = useTranslation();
  if (resources.length === 0) return <p className="empty">{t('course.noResources')}</p>;
  return (
    <div className="resource-groups">
      {groupResources(resources, lessons).map((group) => (
        <section key={group.key} className="resource-group">
          <GroupHeading group={group} lessons={lessons} />
          <ul className="resource-list">
            {group.resources.map((resource) => (
              <ResourceItem key={resource.id} resource={resource} showHistory={showHistory(resource)}>
                {renderControls?.(resource)}
              </ResourceItem>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

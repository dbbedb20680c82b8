import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { Page } from '@contracts/api';
import { Pagination } from './Pagination';
import { Empty, QueryView } from './QueryView';

interface Props<T> {
  /** One page of the list, as the filters in the address ask for it. */
  query: UseQueryResult<Page<T>>;
  /** The filters above the list (labelled fields), in the page's toolbar. */
  filters?: ReactNode;
  /** The count above the list ("12 courses"), with its test id. */
  total?: { testId: string; text: (count: number) => string };
  /** What a page with nothing on it says. */
  empty: ReactNode;
  /** Nothing at all: say only `empty`, without the count and the page switch. */
  emptyAlone?: boolean;
  /** Headings of the table the items make, one row (`<tr>`) each; without them they go into `<div className>`. */
  columns?: ReactNode[];
  className?: string;
  onPage: (page: number) => void;
  children: (item: T) => ReactNode;
}

/** A filtered, paged list: filters, then its count, the items (or that there are none) and the page switch. */
export function PagedList<T>({ query, filters, total, empty, emptyAlone, columns, className, onPage, children }: Props<T>) {
  const items = (list: T[]) =>
    columns ? (
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              {columns.map((heading, index) => (
                <th key={index}>{heading}</th>
              ))}
            </tr>
          </thead>
          <tbody>{list.map((item) => children(item))}</tbody>
        </table>
      </div>
    ) : (
      <div className={className}>{list.map((item) => children(item))}</div>
    );

  return (
    <>
      {filters && <div className="toolbar">{filters}</div>}
      <QueryView query={query}>
        {(result) =>
          emptyAlone && result.items.length === 0 ? (
            <Empty>{empty}</Empty>
          ) : (
            <div className={query.isPlaceholderData ? 'stale' : undefined}>
              {total && (
                <p className="total" data-testid={total.testId}>
                  {total.text(result.total)}
                </p>
              )}
              {result.items.length === 0 ? <Empty>{empty}</Empty> : items(result.items)}
              <Pagination page={result.page} pageSize={result.pageSize} total={result.total} onChange={onPage} />
            </div>
          )
        }
      </QueryView>
    </>
  );
}

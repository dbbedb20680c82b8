import type { SchoolDto } from '@contracts/api';
import { parseId } from '../lib/params';

interface Props {
  schools: SchoolDto[];
  value: number | undefined;
  onChange: (schoolId: number | undefined) => void;
  /** A first option for "all schools"; without it a school is always chosen. */
  emptyLabel?: string;
  testId: string;
}

export function SchoolSelect({ schools, value, onChange, emptyLabel, testId }: Props) {
  return (
    <select value={value ?? ''} onChange={(event) => onChange(parseId(event.target.value))} data-testid={testId}>
      {emptyLabel !== undefined && <option value="">{emptyLabel}</option>}
      {schools.map((school) => (
        <option key={school.id} value={school.id}>
          {school.name}
        </option>
      ))}
    </select>
  );
}

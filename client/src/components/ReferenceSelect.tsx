import { useFormat } from '../lib/format';

interface Named {
  id: number;
  nameZh: string;
  nameEn: string;
}

interface Props {
  /** Subjects or grades; undefined while they load. */
  items: Named[] | undefined;
  value: number | null | undefined;
  onChange: (id: number | null) => void;
  /** The first option, for "no choice yet" or "all". */
  emptyLabel: string;
  required?: boolean;
  testId: string;
}

/** A select over reference data (subjects, grades), named in the UI language. */
export function ReferenceSelect({ items, value, onChange, emptyLabel, required = false, testId }: Props) {
  const { name } = useFormat();
  return (
    <select
      required={required}
      value={value ?? ''}
      onChange={(event) => onChange(event.target.value ? Number(event.target.value) : null)}
      data-testid={testId}
    >
      <option value="">{emptyLabel}</option>
      {items?.map((item) => (
        <option key={item.id} value={item.id}>
          {name(item)}
        </option>
      ))}
    </select>
  );
}

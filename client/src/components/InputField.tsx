import type { InputHTMLAttributes } from 'react';

interface Props extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
}

/** A labelled input of a `.form`: the label above, the value as a string. */
export function InputField({ label, value, onChange, testId, ...input }: Props) {
  return (
    <label>
      <span>{label}</span>
      <input {...input} value={value} onChange={(event) => onChange(event.target.value)} data-testid={testId} />
    </label>
  );
}

import { stringify } from 'csv-stringify/sync';

/** What a spreadsheet program reads as the start of a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell that cannot run as a formula when the file is opened in a spreadsheet program: one that begins
 * with =, +, -, @, a tab or a carriage return gets a leading apostrophe, which spreadsheets show as text.
 * Numbers are left as they are (a negative gap is a number, not a formula).
 */
export function safeCell(value: string | number | null | undefined): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Rows as CSV with a UTF-8 BOM, so spreadsheet programs read the Chinese names; every text cell made safe. */
export function toCsv(rows: Array<Array<string | number | null | undefined>>): string {
  return '\ufeff' + stringify(rows.map((row) => row.map(safeCell)));
}

import { useTranslation } from 'react-i18next';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number, locale: string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value);
  return `${number} ${UNITS[unit]}`;
}

export function formatDate(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** Reference data (subjects, grades) carries both names; pick the one for the UI language. */
export function localName(named: { nameZh: string; nameEn: string }, locale: string): string {
  return locale.startsWith('zh') ? named.nameZh : named.nameEn || named.nameZh;
}

/** Formatters bound to the current UI language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.resolvedLanguage ?? i18n.language;
  return {
    locale,
    bytes: (bytes: number) => formatBytes(bytes, locale),
    date: (iso: string) => formatDate(iso, locale),
    name: (named: { nameZh: string; nameEn: string }) => localName(named, locale),
  };
}

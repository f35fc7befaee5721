/**
 * Number and date formatting without `Intl`: the first toLocaleString() call initializes ICU,
 * which costs ~100 ms of the first paint in Chromium.
 */

/** 100000 => '100,000' */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** '2026-03-01T10:04:05.000Z' => '2026-03-01 10:04' (local time) */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * A field's value, short: integers with separators, large numbers rounded, others to 4
 * significant digits; lists joined; null (missing) as '—'.
 * 6.2345 => '6.234' · 0.0131 => '0.0131' · 123456.7 => '123,457' · ['a','b'] => 'a, b'
 */
export function formatValue(v: number | string | readonly string[] | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v !== 'number') return v.join(', ');
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) || Math.abs(v) >= 1000) {
    const n = Math.round(v);
    return (n < 0 ? '-' : '') + formatCount(Math.abs(n));
  }
  return String(Number(v.toPrecision(4)));
}

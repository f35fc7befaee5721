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

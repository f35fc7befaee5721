/** Compact star display: ★★★ for 3, a muted 0 for a zero rating, nothing when unrated. */
export function Stars({ star }: { star: number | null }) {
  if (star === null) return null;
  if (star === 0) return <span class="stars zero">0★</span>;
  return <span class="stars">{'★'.repeat(star)}</span>;
}

/** Five star buttons and a clear button; clicking the current rating clears it. */
export function StarPicker({
  star,
  onRate,
  mixed = false,
}: {
  star: number | null;
  onRate: (star: number | null) => void;
  mixed?: boolean;
}) {
  return (
    <div class="star-picker">
      {[1, 2, 3, 4, 5].map((n) => (
        <button
          type="button"
          key={n}
          class={`star-btn${!mixed && star !== null && n <= star ? ' on' : ''}`}
          title={`${n} star${n === 1 ? '' : 's'} (${n})`}
          aria-pressed={star === n}
          onClick={() => onRate(star === n && !mixed ? null : n)}
        >
          ★
        </button>
      ))}
      <button
        type="button"
        class="star-clear"
        title="Clear rating (0)"
        disabled={!mixed && star === null}
        onClick={() => onRate(null)}
      >
        ✕
      </button>
      {star === 0 && !mixed && <span class="dim">rated 0</span>}
    </div>
  );
}

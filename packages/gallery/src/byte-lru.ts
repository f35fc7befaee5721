/** A least-recently-used map bounded by the total byte size of its values. */
export class ByteLru {
  private readonly map = new Map<string, Buffer>();
  private total = 0;

  constructor(private readonly maxBytes: number) {}

  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.map.size;
  }

  get(key: string): Buffer | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  /** Store `value` (a value larger than the whole budget is not kept), evicting the oldest. */
  set(key: string, value: Buffer): void {
    const before = this.map.get(key);
    if (before !== undefined) {
      this.map.delete(key);
      this.total -= before.length;
    }
    if (value.length > this.maxBytes) return;
    this.map.set(key, value);
    this.total += value.length;
    for (const [k, v] of this.map) {
      if (this.total <= this.maxBytes) break;
      this.map.delete(k);
      this.total -= v.length;
    }
  }

  clear(): void {
    this.map.clear();
    this.total = 0;
  }
}

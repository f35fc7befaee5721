/**
 * Random hex strings from a pool: one `randomFillSync` of 4 KiB serves 256 ids of 16 bytes, where
 * `randomBytes(16)` per id costs a crypto job of its own (about 7.5 µs here; node's `randomUUID`
 * pools the same way). Every byte comes from the CSPRNG and is handed out once.
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;

export class RandomHex {
  readonly #pool = Buffer.allocUnsafe(POOL_BYTES);
  #offset = POOL_BYTES;

  /** `bytes` (1–4096) fresh random bytes as 2 × bytes hex characters. */
  next(bytes: number): string {
    if (!Number.isInteger(bytes) || bytes < 1 || bytes > POOL_BYTES) {
      throw new RangeError(`bytes must be an integer from 1 to ${POOL_BYTES}`);
    }
    if (this.#offset + bytes > POOL_BYTES) {
      randomFillSync(this.#pool);
      this.#offset = 0;
    }
    const start = this.#offset;
    this.#offset += bytes;
    return this.#pool.toString('hex', start, start + bytes);
  }
}

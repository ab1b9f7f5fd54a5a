/**
 * A small seeded PRNG (mulberry32) so that ids (client_id, callId, ...) are the same on every
 * run with the same seed.
 */

/** A deterministic source of ids. */
export interface Prng {
  /** The next 32-bit unsigned integer. */
  next(): number;
  /** `length` lowercase hex characters. */
  hex(length: number): string;
}

/** A PRNG for `seed` and a stream number (e.g. the connection's ordinal), mixed so nearby streams differ. */
export function createPrng(seed: number, stream = 0): Prng {
  let state = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul((stream >>> 0) + 0x7f4a7c15, 0x85ebca6b)) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    next,
    hex(length) {
      let out = '';
      while (out.length < length) out += next().toString(16).padStart(8, '0');
      return out.slice(0, length);
    },
  };
}

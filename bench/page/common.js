// Helpers shared by the engines' runners.

/** Bytes per read from the File: large enough that per-call costs vanish, small enough to stream. */
export const CHUNK_BYTES = 4 << 20;

/**
 * Reads `file` in CHUNK_BYTES slices and calls `onChunk(Uint8Array)` for each, reading the next
 * slice while the current one is processed (as a streaming loader would).
 */
export async function forEachChunk(file, onChunk) {
  const read = (offset) =>
    offset < file.size ? file.slice(offset, offset + CHUNK_BYTES).arrayBuffer() : null;
  let pending = read(0);
  for (let offset = 0; pending !== null; offset += CHUNK_BYTES) {
    const bytes = new Uint8Array(await pending);
    pending = read(offset + CHUNK_BYTES);
    onChunk(bytes);
  }
}

/** Peak of `performance.memory.usedJSHeapSize` (precise with --enable-precise-memory-info). */
export class HeapPeak {
  constructor() {
    this.peak = 0;
    this.sample();
  }
  sample() {
    const used = performance.memory?.usedJSHeapSize ?? 0;
    if (used > this.peak) this.peak = used;
  }
}

export const cents = (text) => {
  // Exact for `123.45`-style amounts: integer and fraction parsed separately, no float rounding.
  if (!text) return 0;
  const dot = text.indexOf('.');
  if (dot < 0) return Number(text) * 100;
  const frac = (text.slice(dot + 1) + '00').slice(0, 2);
  const whole = Number(text.slice(0, dot));
  return whole * 100 + (whole < 0 || text[0] === '-' ? -Number(frac) : Number(frac));
};

/** `YYYY-MM-DD HH:MM:SS` wall clock → seconds since 1970 as if UTC (no zone arithmetic). */
export function wallSeconds(text) {
  if (!text) return null;
  return (
    Date.UTC(+text.slice(0, 4), +text.slice(5, 7) - 1, +text.slice(8, 10), +text.slice(11, 13), +text.slice(14, 16), +text.slice(17, 19)) /
    1000
  );
}

package dev.nerve.tensor.kernel;

/** Read-only passes over a range of a float array that the Vector API runs a lane-width at once. */
interface Scans {
  /** True if every {@code x[from..to)} is finite (neither NaN nor an infinity). */
  boolean allFinite(float[] x, int from, int to);
}

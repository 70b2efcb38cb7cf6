package dev.nerve.tensor.kernel;

/** Max pooling over planes without padding: see {@link Pools}. */
interface PoolKernel {
  /** See {@link Pools#maxPool}. */
  void maxPool(
      float[] x,
      float[] y,
      int[] arg,
      int fromPlane,
      int toPlane,
      int h,
      int w,
      int oh,
      int ow,
      int k,
      int stride);
}

package dev.nerve.tensor.kernel;

/** Sigmoid and tanh over a range, in place: see {@link Curves}. */
interface CurveKernel {
  /** {@code x[i] = sigmoid(x[i])} for {@code i} in {@code [from, to)}. */
  void sigmoid(float[] x, int from, int to);

  /** {@code x[i] = tanh(x[i])} for {@code i} in {@code [from, to)}. */
  void tanh(float[] x, int from, int to);
}

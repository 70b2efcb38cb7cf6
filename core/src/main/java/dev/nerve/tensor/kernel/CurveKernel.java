package dev.nerve.tensor.kernel;

/** Sigmoid, tanh and GELU over a range: see {@link Curves}. */
interface CurveKernel {
  /** {@code x[i] = sigmoid(x[i])} for {@code i} in {@code [from, to)}. */
  void sigmoid(float[] x, int from, int to);

  /** {@code x[i] = tanh(x[i])} for {@code i} in {@code [from, to)}. */
  void tanh(float[] x, int from, int to);

  /** {@code out[i] = gelu(x[i])} for {@code i} in {@code [from, to)}. */
  void gelu(float[] x, float[] out, int from, int to);

  /** {@code dx[i] = dy[i] · gelu'(x[i])} for {@code i} in {@code [from, to)}. */
  void geluBackward(float[] x, float[] dy, float[] dx, int from, int to);
}

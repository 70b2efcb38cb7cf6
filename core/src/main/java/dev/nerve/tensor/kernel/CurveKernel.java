package dev.nerve.tensor.kernel;

/** Sigmoid, tanh, GELU and the leaky ReLU's backward over a range: see {@link Curves}. */
interface CurveKernel {
  /** {@code x[i] = sigmoid(x[i])} for {@code i} in {@code [from, to)}. */
  void sigmoid(float[] x, int from, int to);

  /** {@code x[i] = tanh(x[i])} for {@code i} in {@code [from, to)}. */
  void tanh(float[] x, int from, int to);

  /** {@code out[i] = gelu(x[i])} for {@code i} in {@code [from, to)}. */
  void gelu(float[] x, float[] out, int from, int to);

  /** {@code dx[i] = dy[i] · gelu'(x[i])} for {@code i} in {@code [from, to)}. */
  void geluBackward(float[] x, float[] dy, float[] dx, int from, int to);

  /** {@code dx[i] = x[i] > 0 ? dy[i] : slope · dy[i]} for {@code i} in {@code [from, to)}. */
  void leakyReluBackward(float slope, float[] x, float[] dy, float[] dx, int from, int to);
}

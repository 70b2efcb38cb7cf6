package dev.nerve.tensor.kernel;

/** Direct stride-1 convolution of one image: see {@link Convs}. */
interface ConvKernel {
  /** See {@link Convs#forward}. */
  void forward(
      float[] x,
      int from,
      int to,
      int c,
      int h,
      int w,
      float[] weight,
      float[] bias,
      int out,
      int k,
      int pad,
      float[] y);

  /** See {@link Convs#backwardInput}. */
  void backwardInput(
      float[] dy,
      int dyOff,
      int out,
      float[] weight,
      int c,
      int h,
      int w,
      int k,
      int pad,
      float[] dx,
      int dxOff);

  /**
   * Rows {@code [r0, r1)} of the unfolded columns of {@code count} images from {@code x[xOff..]}
   * (each {@code [c, h, w]}), stride 1: row {@code r = (ch·k + i)·k + j} holds, image after image
   * and position after position, the input under tap {@code (i, j)} of plane {@code ch} (0 in the
   * padding), at {@code b[(r - r0)·ldb ..]}; nothing is written past a row's {@code count} images.
   */
  void columns(
      float[] x,
      int xOff,
      int count,
      int c,
      int h,
      int w,
      int k,
      int pad,
      int r0,
      int r1,
      float[] b,
      int ldb);
}

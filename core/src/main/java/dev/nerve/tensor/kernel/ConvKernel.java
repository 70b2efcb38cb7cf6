package dev.nerve.tensor.kernel;

/** Direct stride-1 convolution of one image: see {@link Convs}. */
interface ConvKernel {
  /** See {@link Convs#forward}. */
  void forward(
      float[] x,
      int xOff,
      int c,
      int h,
      int w,
      float[] weight,
      float[] bias,
      int out,
      int k,
      int pad,
      float[] y,
      int yOff);

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
}

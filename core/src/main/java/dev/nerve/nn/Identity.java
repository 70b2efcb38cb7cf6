package dev.nerve.nn;

/** {@code f(x) = x}, slope 1: a linear output, for regression. */
public final class Identity extends Activation {
  /** The type {@code identity}. */
  public static final LayerType<NoSettings, Identity> TYPE =
      LayerType.plain("identity", Identity.class, Identity::new);

  @Override
  public float apply(float x) {
    return x;
  }

  @Override
  public float slope(float x, float y) {
    return 1f;
  }

  @Override
  protected void forward(float[] x, float[] out, int n) {
    System.arraycopy(x, 0, out, 0, n);
  }

  @Override
  protected void backward(float[] x, float[] y, float[] dy, float[] dx, int n) {
    System.arraycopy(dy, 0, dx, 0, n);
  }
}

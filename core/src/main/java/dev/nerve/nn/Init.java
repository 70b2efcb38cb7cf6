package dev.nerve.nn;

import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Tensor;

/**
 * How a parameter gets its first values. Always from a seeded {@link Rng}.
 *
 * <ul>
 *   <li>{@link #uniform(float, float)}: the tutorials' {@code np.random.uniform} / {@code rand},
 *       [0, 1) by default;
 *   <li>{@link #normal(float, float)};
 *   <li>{@link #xavierUniform()}: Glorot, U(-a, a) with a = sqrt(6 / (fanIn + fanOut)), for sigmoid
 *       and tanh;
 *   <li>{@link #heNormal()}: He, N(0, 2 / fanIn), for ReLU;
 *   <li>{@link #zeros()} and {@link #constant(float)}.
 * </ul>
 */
public interface Init {
  /**
   * Fills {@code t} in place.
   *
   * @param t the tensor to fill
   * @param fanIn inputs feeding each output unit
   * @param fanOut outputs fed by each input
   * @param rng the source of every random draw
   */
  void fillInPlace(Tensor t, int fanIn, int fanOut, Rng rng);

  /** A short name as used in model JSON, such as {@code "uniform"} or {@code "xavier_uniform"}. */
  String name();

  /**
   * He for a layer that feeds a ReLU-like activation, Glorot (Xavier) otherwise, uniform in both
   * cases: chosen by {@link Sequential#initialize} from the layer that follows. Used alone (outside
   * a Sequential) it is Glorot.
   */
  static Init auto() {
    return new Auto();
  }

  /** See {@link #auto()}. */
  record Auto() implements Init {
    @Override
    public void fillInPlace(Tensor t, int fanIn, int fanOut, Rng rng) {
      xavierUniform().fillInPlace(t, fanIn, fanOut, rng);
    }

    @Override
    public String name() {
      return "auto";
    }
  }

  /** Zeros. */
  static Init zeros() {
    return constant(0f);
  }

  /** Every value equal to {@code v}. */
  static Init constant(float v) {
    return new Constant(v);
  }

  /** Uniform in [lo, hi). */
  static Init uniform(float lo, float hi) {
    return new Uniform(lo, hi);
  }

  /** Normal with the given mean and standard deviation. */
  static Init normal(float mean, float std) {
    return new Normal(mean, std);
  }

  /** Glorot/Xavier uniform. */
  static Init xavierUniform() {
    return new Xavier(false);
  }

  /** Glorot/Xavier normal: N(0, 2 / (fanIn + fanOut)). */
  static Init xavierNormal() {
    return new Xavier(true);
  }

  /** He/Kaiming normal: N(0, 2 / fanIn). */
  static Init heNormal() {
    return new He(true);
  }

  /** He/Kaiming uniform: U(-a, a) with a = sqrt(6 / fanIn). */
  static Init heUniform() {
    return new He(false);
  }

  /**
   * The initialiser with this JSON name: auto (see {@link #auto()}), zeros, uniform (over [0, 1)),
   * normal (N(0, 1)), xavier_uniform, xavier_normal, he_uniform, he_normal.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  static Init named(String name) {
    switch (name) {
      case "auto":
        return auto();
      case "zeros":
        return zeros();
      case "uniform":
        return uniform(0f, 1f);
      case "normal":
        return normal(0f, 1f);
      case "xavier_uniform":
        return xavierUniform();
      case "xavier_normal":
        return xavierNormal();
      case "he_uniform":
        return heUniform();
      case "he_normal":
        return heNormal();
      default:
        throw new IllegalArgumentException(
            "unknown init '"
                + name
                + "'; known: auto, zeros, uniform,"
                + " normal, xavier_uniform, xavier_normal, he_uniform, he_normal");
    }
  }

  /** Every value equal to {@code value}. */
  record Constant(float value) implements Init {
    @Override
    public void fillInPlace(Tensor t, int fanIn, int fanOut, Rng rng) {
      t.fillInPlace(value);
    }

    @Override
    public String name() {
      return value == 0f ? "zeros" : "constant";
    }
  }

  /** Uniform in [lo, hi). */
  record Uniform(float lo, float hi) implements Init {
    @Override
    public void fillInPlace(Tensor t, int fanIn, int fanOut, Rng rng) {
      float[] d = t.data();
      for (int i = 0; i < d.length; i++) {
        d[i] = lo + (hi - lo) * rng.nextFloat();
      }
    }

    @Override
    public String name() {
      return "uniform";
    }
  }

  /** Normal with mean and standard deviation. */
  record Normal(float mean, float std) implements Init {
    @Override
    public void fillInPlace(Tensor t, int fanIn, int fanOut, Rng rng) {
      float[] d = t.data();
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) (mean + std * rng.nextGaussian());
      }
    }

    @Override
    public String name() {
      return "normal";
    }
  }

  /** Glorot/Xavier, uniform or normal. */
  record Xavier(boolean gaussian) implements Init {
    @Override
    public void fillInPlace(Tensor t, int fanIn, int fanOut, Rng rng) {
      double fans = Math.max(1, fanIn + fanOut);
      if (gaussian) {
        new Normal(0f, (float) Math.sqrt(2.0 / fans)).fillInPlace(t, fanIn, fanOut, rng);
      } else {
        float a = (float) Math.sqrt(6.0 / fans);
        new Uniform(-a, a).fillInPlace(t, fanIn, fanOut, rng);
      }
    }

    @Override
    public String name() {
      return gaussian ? "xavier_normal" : "xavier_uniform";
    }
  }

  /** He/Kaiming, uniform or normal. */
  record He(boolean gaussian) implements Init {
    @Override
    public void fillInPlace(Tensor t, int fanIn, int fanOut, Rng rng) {
      double fan = Math.max(1, fanIn);
      if (gaussian) {
        new Normal(0f, (float) Math.sqrt(2.0 / fan)).fillInPlace(t, fanIn, fanOut, rng);
      } else {
        float a = (float) Math.sqrt(6.0 / fan);
        new Uniform(-a, a).fillInPlace(t, fanIn, fanOut, rng);
      }
    }

    @Override
    public String name() {
      return gaussian ? "he_normal" : "he_uniform";
    }
  }
}

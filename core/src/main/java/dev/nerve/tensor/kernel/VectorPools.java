package dev.nerve.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Pools} on the Vector API, loaded through {@link VectorModule} only: a lane-width of a
 * plane's windows at once. Each lane gathers its window's first tap, then every other tap in
 * reading order, and takes it where it is larger or a NaN — the scalar loop's rule, as a blend.
 */
final class VectorPools implements PoolKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
  private static final int L = S.length();

  VectorPools() {}

  @Override
  public void maxPool(
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
      int stride) {
    int per = oh * ow;
    if (per < L / 2) {
      // Too few windows per plane to fill the lanes: the plain loop.
      Pools.SCALAR.maxPool(x, y, arg, fromPlane, toPlane, h, w, oh, ow, k, stride);
      return;
    }
    // Each window's first tap within its plane; padded to whole vectors with 0 (a valid tap
    // whose result is never stored).
    int padded = (per + L - 1) / L * L;
    int[] origin = new int[padded];
    for (int oy = 0, o = 0; oy < oh; oy++) {
      for (int ox = 0; ox < ow; ox++, o++) {
        origin[o] = oy * stride * w + ox * stride;
      }
    }
    int taps = k * k;
    float[] tailY = new float[L];
    int[] tailArg = new int[L];
    for (int plane = fromPlane; plane < toPlane; plane++) {
      int base = plane * h * w;
      int out = plane * per;
      for (int i = 0; i < padded; i += L) {
        IntVector first = IntVector.fromArray(I, origin, i).add(base);
        FloatVector best = FloatVector.fromArray(S, x, base, origin, i);
        IntVector at = first;
        for (int t = 1; t < taps; t++) {
          int off = (t / k) * w + t % k;
          FloatVector v = FloatVector.fromArray(S, x, base + off, origin, i);
          VectorMask<Float> take =
              v.compare(VectorOperators.GT, best).or(v.compare(VectorOperators.NE, v));
          best = best.blend(v, take);
          at = at.blend(first.add(off), take.cast(I));
        }
        if (i + L <= per) {
          best.intoArray(y, out + i);
          if (arg != null) {
            at.intoArray(arg, out + i);
          }
        } else {
          // The plane's last windows: through a lane-wide buffer (a masked store is slow on
          // JDK 17, and a plane's tail comes every plane).
          best.intoArray(tailY, 0);
          System.arraycopy(tailY, 0, y, out + i, per - i);
          if (arg != null) {
            at.intoArray(tailArg, 0);
            System.arraycopy(tailArg, 0, arg, out + i, per - i);
          }
        }
      }
    }
  }
}

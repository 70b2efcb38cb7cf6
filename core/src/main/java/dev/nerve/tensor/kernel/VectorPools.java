package dev.nerve.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
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
    if (k == 2 && stride == 2 && ow >= L / 2) {
      pairs(x, y, arg, fromPlane, toPlane, h, w, oh, ow);
      return;
    }
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

  /**
   * Lane i of the even (odd) taps of two vectors side by side is lane 2i (2i + 1) of the pair: lane
   * 2i mod L of one vector or the other (the second from lane L/2 on). Two one-vector rearranges
   * and a blend: the two-vector rearrange of JDK 17 recomputed its masks every call and ran slower
   * than the gathers.
   */
  private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> (2 * i) % L);

  private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> (2 * i + 1) % L);

  private static final VectorMask<Float> UPPER = S.indexInRange(-L / 2, L / 2); // lanes L/2 on

  /** 0, 2, 4, ...: each lane's first tap, from the first of a vector of windows. */
  private static final IntVector TWICE = IntVector.zero(I).addIndex(2);

  /**
   * 2 × 2 windows every 2, the commonest pooling, without gathers: a lane-width of a row's windows
   * reads two vectors of each of its two input rows and splits them into even and odd columns (the
   * taps in reading order), then takes each tap by the same rule. A row's windows are stored as a
   * whole vector when the plane has room, lanes past the row landing on the next row's windows
   * (stored after them); a plane's last row goes through a buffer, and a plane whose reads could
   * pass the end of {@code x} through the plain loop.
   */
  private static void pairs(
      float[] x, float[] y, int[] arg, int fromPlane, int toPlane, int h, int w, int oh, int ow) {
    int per = oh * ow;
    float[] tailY = new float[L];
    int[] tailArg = new int[L];
    for (int plane = fromPlane; plane < toPlane; plane++) {
      int base = plane * h * w;
      if (base + h * w + 2 * L > x.length) {
        // A plane at the end of x, whose vector reads could pass it: the plain loop's rule.
        Pools.SCALAR.maxPool(x, y, arg, plane, plane + 1, h, w, oh, ow, 2, 2);
        continue;
      }
      for (int oy = 0; oy < oh; oy++) {
        int row = base + 2 * oy * w;
        int o = plane * per + oy * ow;
        for (int ox0 = 0; ox0 < ow; ox0 += L) {
          int n = Math.min(L, ow - ox0);
          int src = row + 2 * ox0;
          FloatVector a0 = FloatVector.fromArray(S, x, src);
          FloatVector a1 = FloatVector.fromArray(S, x, src + L);
          FloatVector b0 = FloatVector.fromArray(S, x, src + w);
          FloatVector b1 = FloatVector.fromArray(S, x, src + w + L);
          IntVector first = TWICE.add(src);
          FloatVector best = a0.rearrange(EVEN).blend(a1.rearrange(EVEN), UPPER);
          IntVector at = first;
          FloatVector v = a0.rearrange(ODD).blend(a1.rearrange(ODD), UPPER);
          VectorMask<Float> take =
              v.compare(VectorOperators.GT, best).or(v.compare(VectorOperators.NE, v));
          best = best.blend(v, take);
          at = at.blend(first.add(1), take.cast(I));
          v = b0.rearrange(EVEN).blend(b1.rearrange(EVEN), UPPER);
          take = v.compare(VectorOperators.GT, best).or(v.compare(VectorOperators.NE, v));
          best = best.blend(v, take);
          at = at.blend(first.add(w), take.cast(I));
          v = b0.rearrange(ODD).blend(b1.rearrange(ODD), UPPER);
          take = v.compare(VectorOperators.GT, best).or(v.compare(VectorOperators.NE, v));
          best = best.blend(v, take);
          at = at.blend(first.add(w + 1), take.cast(I));
          if (oy * ow + ox0 + L <= per) {
            best.intoArray(y, o + ox0);
            if (arg != null) {
              at.intoArray(arg, o + ox0);
            }
          } else {
            best.intoArray(tailY, 0);
            System.arraycopy(tailY, 0, y, o + ox0, n);
            if (arg != null) {
              at.intoArray(tailArg, 0);
              System.arraycopy(tailArg, 0, arg, o + ox0, n);
            }
          }
        }
      }
    }
  }
}

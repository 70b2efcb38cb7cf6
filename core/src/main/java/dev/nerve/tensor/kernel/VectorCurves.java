package dev.nerve.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Curves} on the Vector API, loaded through {@link VectorModule} only: the same operations
 * as the plain loop, in the same order, on a lane-width of values at once, so the same bits.
 */
final class VectorCurves implements CurveKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  VectorCurves() {}

  @Override
  public void sigmoid(float[] x, int from, int to) {
    curve(x, from, to, false);
  }

  @Override
  public void tanh(float[] x, int from, int to) {
    curve(x, from, to, true);
  }

  /**
   * sigmoid(v) = 1 / (1 + e^-v) or tanh(v) = 1 - 2 / (e^(2v) + 1), a lane-width at a time. The
   * exponential is written out here, in the loop, rather than called: a vector method C2 compiles
   * on its own is too large to inline afterwards, and every vector crossing the call is then boxed
   * (gigabytes of garbage a second, and the slow fallback paths).
   */
  private static void curve(float[] x, int from, int to, boolean tanh) {
    FloatVector one = FloatVector.broadcast(S, 1f);
    int i = from;
    for (; i + L <= to; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, i);
      FloatVector e = tanh ? v.add(v) : v.neg(); // exp of this
      FloatVector xc = e.max(Curves.LO).min(Curves.HI);
      FloatVector t = xc.mul(Curves.LOG2E).add(Curves.MAGIC);
      FloatVector n = t.sub(Curves.MAGIC);
      FloatVector r = xc.sub(n.mul(Curves.C1));
      r = r.sub(n.mul(Curves.C2));
      FloatVector p = FloatVector.broadcast(S, Curves.P0);
      p = p.mul(r).add(Curves.P1);
      p = p.mul(r).add(Curves.P2);
      p = p.mul(r).add(Curves.P3);
      p = p.mul(r).add(Curves.P4);
      p = p.mul(r).add(Curves.P5);
      p = p.mul(r.mul(r)).add(r);
      p = p.add(1f);
      // t's low mantissa bits hold n as an integer: no float-to-int conversion needed.
      IntVector bits =
          ((IntVector) t.reinterpretAsInts())
              .sub(Curves.MAGIC_BITS - 127)
              .lanewise(VectorOperators.LSHL, 23);
      FloatVector ex = p.mul(bits.reinterpretAsFloats());
      FloatVector y =
          tanh ? one.sub(FloatVector.broadcast(S, 2f).div(ex.add(1f))) : one.div(one.add(ex));
      y.intoArray(x, i);
    }
    for (; i < to; i++) {
      x[i] = tanh ? Curves.ScalarCurves.tanh(x[i]) : Curves.ScalarCurves.sigmoid(x[i]);
    }
  }

  @Override
  public void gelu(float[] x, float[] out, int from, int to) {
    FloatVector one = FloatVector.broadcast(S, 1f);
    int i = from;
    for (; i + L <= to; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, i);
      FloatVector u = v.mul(Curves.SQRT_HALF);
      FloatVector z = u.abs();
      FloatVector t = one.div(one.add(z.mul(0.5f)));
      FloatVector q = FloatVector.broadcast(S, Curves.E[9]);
      for (int k = 8; k >= 0; k--) {
        q = q.mul(t).add(Curves.E[k]);
      }
      FloatVector a = q.sub(z.mul(z));
      FloatVector axc = a.max(Curves.LO).min(Curves.HI);
      FloatVector at = axc.mul(Curves.LOG2E).add(Curves.MAGIC);
      FloatVector an = at.sub(Curves.MAGIC);
      FloatVector ar = axc.sub(an.mul(Curves.C1));
      ar = ar.sub(an.mul(Curves.C2));
      FloatVector ap = FloatVector.broadcast(S, Curves.P0);
      ap = ap.mul(ar).add(Curves.P1);
      ap = ap.mul(ar).add(Curves.P2);
      ap = ap.mul(ar).add(Curves.P3);
      ap = ap.mul(ar).add(Curves.P4);
      ap = ap.mul(ar).add(Curves.P5);
      ap = ap.mul(ar.mul(ar)).add(ar);
      ap = ap.add(1f);
      FloatVector ea =
          ap.mul(
              ((IntVector) at.reinterpretAsInts())
                  .sub(Curves.MAGIC_BITS - 127)
                  .lanewise(VectorOperators.LSHL, 23)
                  .reinterpretAsFloats());
      FloatVector half = t.mul(ea).mul(0.5f);
      FloatVector cdf = half.blend(one.sub(half), u.compare(VectorOperators.GE, 0f));
      v.mul(cdf).intoArray(out, i);
    }
    for (; i < to; i++) {
      out[i] = Curves.ScalarCurves.gelu(x[i]);
    }
  }

  @Override
  public void leakyReluBackward(float slope, float[] x, float[] dy, float[] dx, int from, int to) {
    // C2 does not vectorise the plain loop's bit tricks (a sixth of a LeNet-5 epoch went there);
    // a compare and a blend are the same rule: a NaN compares false and takes the slope.
    int i = from;
    for (; i + L <= to; i += L) {
      FloatVector g = FloatVector.fromArray(S, dy, i);
      FloatVector v = FloatVector.fromArray(S, x, i);
      g.mul(slope).blend(g, v.compare(VectorOperators.GT, 0f)).intoArray(dx, i);
    }
    Curves.SCALAR.leakyReluBackward(slope, x, dy, dx, i, to);
  }

  @Override
  public void geluBackward(float[] x, float[] dy, float[] dx, int from, int to) {
    FloatVector one = FloatVector.broadcast(S, 1f);
    int i = from;
    for (; i + L <= to; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, i);
      FloatVector u = v.mul(Curves.SQRT_HALF);
      FloatVector z = u.abs();
      FloatVector t = one.div(one.add(z.mul(0.5f)));
      FloatVector q = FloatVector.broadcast(S, Curves.E[9]);
      for (int k = 8; k >= 0; k--) {
        q = q.mul(t).add(Curves.E[k]);
      }
      FloatVector a = q.sub(z.mul(z));
      FloatVector axc = a.max(Curves.LO).min(Curves.HI);
      FloatVector at = axc.mul(Curves.LOG2E).add(Curves.MAGIC);
      FloatVector an = at.sub(Curves.MAGIC);
      FloatVector ar = axc.sub(an.mul(Curves.C1));
      ar = ar.sub(an.mul(Curves.C2));
      FloatVector ap = FloatVector.broadcast(S, Curves.P0);
      ap = ap.mul(ar).add(Curves.P1);
      ap = ap.mul(ar).add(Curves.P2);
      ap = ap.mul(ar).add(Curves.P3);
      ap = ap.mul(ar).add(Curves.P4);
      ap = ap.mul(ar).add(Curves.P5);
      ap = ap.mul(ar.mul(ar)).add(ar);
      ap = ap.add(1f);
      FloatVector ea =
          ap.mul(
              ((IntVector) at.reinterpretAsInts())
                  .sub(Curves.MAGIC_BITS - 127)
                  .lanewise(VectorOperators.LSHL, 23)
                  .reinterpretAsFloats());
      FloatVector half = t.mul(ea).mul(0.5f);
      FloatVector cdf = half.blend(one.sub(half), u.compare(VectorOperators.GE, 0f));
      FloatVector g = v.mul(v).mul(-0.5f);
      FloatVector gxc = g.max(Curves.LO).min(Curves.HI);
      FloatVector gt = gxc.mul(Curves.LOG2E).add(Curves.MAGIC);
      FloatVector gn = gt.sub(Curves.MAGIC);
      FloatVector gr = gxc.sub(gn.mul(Curves.C1));
      gr = gr.sub(gn.mul(Curves.C2));
      FloatVector gp = FloatVector.broadcast(S, Curves.P0);
      gp = gp.mul(gr).add(Curves.P1);
      gp = gp.mul(gr).add(Curves.P2);
      gp = gp.mul(gr).add(Curves.P3);
      gp = gp.mul(gr).add(Curves.P4);
      gp = gp.mul(gr).add(Curves.P5);
      gp = gp.mul(gr.mul(gr)).add(gr);
      gp = gp.add(1f);
      FloatVector eg =
          gp.mul(
              ((IntVector) gt.reinterpretAsInts())
                  .sub(Curves.MAGIC_BITS - 127)
                  .lanewise(VectorOperators.LSHL, 23)
                  .reinterpretAsFloats());
      FloatVector slope = cdf.add(v.mul(Curves.INV_SQRT_2PI).mul(eg));
      FloatVector.fromArray(S, dy, i).mul(slope).intoArray(dx, i);
    }
    for (; i < to; i++) {
      dx[i] = dy[i] * Curves.ScalarCurves.geluSlope(x[i]);
    }
  }
}

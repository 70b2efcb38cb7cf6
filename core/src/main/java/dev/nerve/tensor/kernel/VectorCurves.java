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
}

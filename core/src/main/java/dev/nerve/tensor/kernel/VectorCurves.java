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

  private static FloatVector exp(FloatVector v) {
    FloatVector x = v.max(Curves.LO).min(Curves.HI);
    FloatVector t = x.mul(Curves.LOG2E).add(Curves.MAGIC);
    FloatVector n = t.sub(Curves.MAGIC);
    FloatVector r = x.sub(n.mul(Curves.C1));
    r = r.sub(n.mul(Curves.C2));
    FloatVector p = FloatVector.broadcast(S, Curves.P0);
    p = p.mul(r).add(Curves.P1);
    p = p.mul(r).add(Curves.P2);
    p = p.mul(r).add(Curves.P3);
    p = p.mul(r).add(Curves.P4);
    p = p.mul(r).add(Curves.P5);
    p = p.mul(r.mul(r)).add(r);
    p = p.add(1f);
    IntVector bits =
        ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
    return p.mul(bits.reinterpretAsFloats());
  }

  @Override
  public void sigmoid(float[] x, int from, int to) {
    int i = from;
    for (; i + L <= to; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, i);
      FloatVector one = FloatVector.broadcast(S, 1f);
      one.div(one.add(exp(v.neg()))).intoArray(x, i);
    }
    for (; i < to; i++) {
      x[i] = Curves.ScalarCurves.sigmoid(x[i]);
    }
  }

  @Override
  public void tanh(float[] x, int from, int to) {
    int i = from;
    for (; i + L <= to; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, i);
      FloatVector one = FloatVector.broadcast(S, 1f);
      one.sub(FloatVector.broadcast(S, 2f).div(exp(v.add(v)).add(1f))).intoArray(x, i);
    }
    for (; i < to; i++) {
      x[i] = Curves.ScalarCurves.tanh(x[i]);
    }
  }
}

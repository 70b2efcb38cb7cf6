package dev.nerve.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Scans} on the Vector API; loaded through {@link VectorModule} only. C2 does not vectorise
 * a floating-point reduction (its order is fixed by Java's semantics), so the plain loop checks one
 * element per cycle; here a whole vector is checked per instruction.
 */
final class VectorScans implements Scans {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  VectorScans() {}

  @Override
  public boolean allFinite(float[] x, int from, int to) {
    // x * 0 is 0 for every finite x and NaN for NaN or an infinity, and NaN survives any sum.
    FloatVector a = FloatVector.zero(S);
    FloatVector b = a;
    int i = from;
    for (; i + 2 * L <= to; i += 2 * L) {
      a = a.add(FloatVector.fromArray(S, x, i).mul(0f));
      b = b.add(FloatVector.fromArray(S, x, i + L).mul(0f));
    }
    float s = a.add(b).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    for (; i < to; i++) {
      s += x[i] * 0f;
    }
    return s == 0f;
  }
}

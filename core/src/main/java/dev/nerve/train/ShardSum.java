package dev.nerve.train;

import dev.nerve.nn.Buffer;
import dev.nerve.nn.Model;
import dev.nerve.nn.Parameter;
import dev.nerve.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * The sum of a batch's slices, added in shard order: the one piece of arithmetic that {@link
 * ShardedStep} on one machine and a cluster's driver (the {@code spark} module) share, so that
 * their results are the same bytes. Loss sums and counts are added; the first slice's gradients are
 * copied and each later slice's added value by value; the buffers (batch normalisation's running
 * statistics) and the generator states are the first slice's. Every slice must end with the same
 * generator states — true of every layer that honours {@link dev.nerve.nn.Layer#drawAsRowsOf} — and
 * a slice that does not is refused, since its split would change the numbers drawn.
 *
 * <pre>{@code
 * ShardSum sum = new ShardSum(model.parameters());
 * for (each non-empty slice, in shard order) sum.add(k, ...);
 * StepResult batch = sum.finish(model, buffers);
 * }</pre>
 */
public final class ShardSum {
  private final List<Parameter> params;
  private float[][] sum;
  private float[][] buffers;
  private long[] random;
  private int first = -1;
  private double lossSum;
  private long terms;
  private boolean sums;
  private int examples;
  private long positions;
  private long correct;
  private boolean failed;

  /** A sum of slices of gradients for {@code params}. */
  public ShardSum(List<Parameter> params) {
    this.params = List.copyOf(params);
  }

  /**
   * Adds shard {@code shard}'s slice (call in shard order, for non-empty slices only). Once a slice
   * has failed (its loss not finite), later slices are ignored.
   *
   * @param gradients the slice's gradients in the model's order, or null when its loss was not
   *     finite; read, not kept
   * @param buffers the model's buffers after the slice, or null when not known (only the first
   *     slice's are kept)
   * @param random the model's generator states after the slice, or null when not known
   * @throws IllegalArgumentException if the gradients do not match the parameters
   * @throws IllegalStateException if the slice ends with other generator states than the first
   */
  public void add(
      int shard,
      double lossSum,
      long terms,
      boolean sums,
      int examples,
      long positions,
      long correct,
      float[][] gradients,
      float[][] buffers,
      long[] random) {
    if (failed) {
      return;
    }
    this.lossSum += lossSum;
    this.terms += terms;
    this.sums = sums;
    this.examples += examples;
    this.positions += positions;
    this.correct = this.correct < 0 || correct < 0 ? -1 : this.correct + correct;
    if (gradients == null) {
      failed = true;
      return;
    }
    if (gradients.length != params.size()) {
      throw new IllegalArgumentException(
          "shard " + shard + " has " + gradients.length + " gradients, the model " + params.size());
    }
    if (sum == null) {
      first = shard;
      sum = new float[gradients.length][];
      for (int p = 0; p < sum.length; p++) {
        sum[p] = check(shard, p, gradients[p]).clone();
      }
      this.buffers = buffers;
      this.random = random;
      return;
    }
    if (random != null && this.random != null && !Arrays.equals(random, this.random)) {
      throw new IllegalStateException(
          "shard "
              + shard
              + " ends with other random generator states than shard "
              + first
              + ": a layer draws random numbers without honouring Layer.drawAsRowsOf, so its"
              + " numbers would depend on the split");
    }
    for (int p = 0; p < sum.length; p++) {
      float[] g = sum[p];
      float[] a = check(shard, p, gradients[p]);
      for (int i = 0; i < g.length; i++) {
        g[i] += a[i];
      }
    }
  }

  private float[] check(int shard, int p, float[] g) {
    int n = params.get(p).grad().size();
    if (g.length != n) {
      throw new IllegalArgumentException(
          "shard " + shard + "'s gradient " + p + " has " + g.length + " values, not " + n);
    }
    return g;
  }

  /** Whether a slice's loss was not finite. */
  public boolean failed() {
    return failed;
  }

  /**
   * The batch's result. Unless a slice failed, the sum is written into the parameters' gradients,
   * the first slice's buffers into {@code buffers} and its generator states into {@code model}
   * (each when known and not null); after a failure nothing is written and the result carries no
   * gradient (the trainer diagnoses the batch and stops).
   *
   * @throws IllegalStateException if no slice was added
   */
  public StepResult finish(Model model, List<Buffer> buffers) {
    if (failed) {
      return new StepResult(lossSum, terms, sums, examples, positions, -1, List.of());
    }
    if (sum == null) {
      throw new IllegalStateException("no slice to add");
    }
    for (int p = 0; p < sum.length; p++) {
      System.arraycopy(sum[p], 0, params.get(p).grad().data(), 0, sum[p].length);
    }
    if (buffers != null && this.buffers != null) {
      ShardedStep.restore(buffers, this.buffers);
    }
    if (model != null && random != null && random.length > 0) {
      model.restoreRandomState(random);
    }
    List<Tensor> grads = params.stream().map(Parameter::grad).toList();
    return new StepResult(lossSum, terms, sums, examples, positions, correct, grads);
  }
}

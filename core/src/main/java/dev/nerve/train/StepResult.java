package dev.nerve.train;

import dev.nerve.nn.Parameter;
import dev.nerve.tensor.Tensor;
import java.util.List;

/**
 * What one training step computed for one batch, or for one slice of a batch: the loss as a sum
 * with the count its mean runs over, the examples and positions seen, how many were classified
 * right, and the gradients.
 *
 * @param lossSum the sum of the loss's terms ({@link dev.nerve.loss.Loss#sum}); not finite when
 *     training diverged, and then no gradient was computed
 * @param terms the count the loss's mean runs over ({@link dev.nerve.loss.Loss#terms})
 * @param sums whether the loss sums over the batch rather than averaging
 * @param examples the examples in the batch or slice
 * @param positions the positions counted (examples, or the real time steps of sequences)
 * @param correct the positions classified right, or -1 when the targets are not classes
 * @param gradients each parameter's gradient, in the model's order: live views of the parameters'
 *     {@code grad()}, valid until the next step; empty when the loss was not finite
 */
public record StepResult(
    double lossSum,
    long terms,
    boolean sums,
    int examples,
    long positions,
    long correct,
    List<Tensor> gradients) {
  /** Keeps an unmodifiable copy of the list of gradients (not of the gradients). */
  public StepResult {
    gradients = List.copyOf(gradients);
  }

  /** The loss as its function reduces it over the batch: the sum, or the mean over the terms. */
  public double loss() {
    double v = lossSum;
    return sums ? v : terms == 0 ? 0 : v / terms;
  }

  /** Whether the loss is finite; if not, training stops and nothing was backpropagated. */
  public boolean finite() {
    return Double.isFinite(loss());
  }

  /**
   * The result of a whole batch from the results of its slices, in the order given (partition order
   * on a cluster): loss sums, counts and examples are added, and the slices' gradients are added
   * element by element, first to last, into the gradients of {@code into} (written, not
   * accumulated), which then hold the batch's gradient. Each slice must have been computed with the
   * whole batch's mean count ({@link TrainingStep#run(dev.nerve.data.Batch, long, List, List)}).
   *
   * @throws IllegalArgumentException if there are no parts, or their gradients do not match {@code
   *     into}
   */
  public static StepResult combine(List<StepResult> parts, List<Parameter> into) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("nothing to combine");
    }
    ShardSum sum = new ShardSum(into);
    for (int s = 0; s < parts.size(); s++) {
      StepResult r = parts.get(s);
      if (r.finite() && r.gradients.size() != into.size()) {
        throw new IllegalArgumentException(
            "a slice has " + r.gradients.size() + " gradients, the model " + into.size());
      }
      sum.add(
          s,
          r.lossSum,
          r.terms,
          r.sums,
          r.examples,
          r.positions,
          r.correct,
          r.finite() ? ShardedStep.arrays(r.gradients) : null,
          null,
          null);
    }
    return sum.finish(null, null);
  }
}

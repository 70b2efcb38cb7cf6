package dev.nerve.train;

import dev.nerve.data.Batch;

/**
 * Where the training loop gets a batch's gradients from: {@link TrainingStep} computes them on this
 * machine; a distributed source has workers compute slices of the batch with the same step and adds
 * their results in a fixed order ({@link StepResult#combine}). Either way the model's parameters
 * hold the whole batch's gradient afterwards, and the loop goes on with clipping and the
 * optimiser's step exactly as on one machine.
 */
@FunctionalInterface
public interface GradientSource {
  /**
   * Computes {@code batch}'s loss, counts and gradients into the model's parameters (their previous
   * gradients are replaced). When the loss is not finite it stops before backpropagation and says
   * so ({@link StepResult#finite()}).
   */
  StepResult gradients(Batch batch);
}

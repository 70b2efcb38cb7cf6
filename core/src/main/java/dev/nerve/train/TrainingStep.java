package dev.nerve.train;

import dev.nerve.data.Batch;
import dev.nerve.loss.Loss;
import dev.nerve.nn.Model;
import dev.nerve.nn.Parameter;
import dev.nerve.tensor.Tensor;
import java.util.List;

/**
 * One training step on one batch, or one slice of a batch, and nothing else (Nielsen's {@code
 * backprop}): clear the gradients, forward propagation in training mode, the loss, its gradient,
 * backpropagation. It returns the loss sum, the counts and the gradients ({@link StepResult}); the
 * policies of a run (clipping, the optimiser, schedules, validation, checkpoints) belong to the
 * loop ({@link Trainer}). A cluster's workers run this same step on their slices.
 *
 * <pre>{@code
 * TrainingStep step = new TrainingStep(net, new SoftmaxCrossEntropy());
 * StepResult r = step.run(new Batch(x, y));     // gradients now in net.parameters()
 * optimizer.step();
 * }</pre>
 */
public final class TrainingStep implements GradientSource {
  private final Model model;
  private final Loss loss;
  private final List<Parameter> params;
  private final List<Tensor> gradients;
  private Tensor grad;

  /** A step for {@code model} on {@code loss}. */
  public TrainingStep(Model model, Loss loss) {
    if (model == null || loss == null) {
      throw new IllegalArgumentException("a training step needs a model and a loss");
    }
    this.model = model;
    this.loss = loss;
    this.params = List.copyOf(model.parameters());
    this.gradients = params.stream().map(Parameter::grad).toList();
  }

  /** The model this step trains. */
  public Model model() {
    return model;
  }

  /** The loss it minimises. */
  public Loss loss() {
    return loss;
  }

  /** The whole batch's step: {@link #run(Batch)}. */
  @Override
  public StepResult gradients(Batch batch) {
    return run(batch);
  }

  /** Runs the step on a whole batch; see {@link #run(Batch, long, List, List)}. */
  public StepResult run(Batch batch) {
    return run(batch, 0, null, null);
  }

  /**
   * Runs the step: every parameter's gradient is replaced by this batch's (or slice's).
   *
   * @param batch the inputs, targets and mask
   * @param meanOver for a slice of a larger batch, the count that batch's mean runs over ({@link
   *     Loss#terms} of the whole batch), so that the slices' gradients add up to the batch's; 0 for
   *     a whole batch
   * @param outputs if not null, receives a copy of every layer's output (what a trace records)
   * @param outputGradients if not null, receives a copy of the gradient at every layer's output
   * @return the loss sum, counts and gradients; if the loss is not finite, no gradient (the caller
   *     diagnoses and stops)
   */
  public StepResult run(
      Batch batch, long meanOver, List<Tensor> outputs, List<Tensor> outputGradients) {
    if (meanOver < 0) {
      throw new IllegalArgumentException("meanOver must be 0 or more, got " + meanOver);
    }
    for (Parameter p : params) {
      p.zeroGradInPlace();
    }
    Tensor y = batch.y();
    Tensor mask = batch.mask();
    Tensor out =
        outputs != null
            ? model.forwardRecorded(batch.x(), batch.lengths(), outputs)
            : model.forward(batch.x(), batch.lengths(), true);
    double sum = loss.sum(out, y, mask);
    long terms = loss.terms(out, mask);
    long positions = Loss.kept(out, mask);
    StepResult failed =
        new StepResult(sum, terms, loss.sumsOverBatch(), batch.size(), positions, -1, List.of());
    if (!failed.finite()) {
      return failed;
    }
    long correct = Evaluation.countRight(out, y, mask);
    if (grad == null || !grad.shape().equals(out.shape())) {
      grad = Tensor.zeros(out.shape().dims());
    }
    loss.gradient(out, y, mask, grad, meanOver > 0 ? meanOver : terms);
    if (outputGradients != null) {
      model.backwardRecorded(grad, false, outputGradients);
    } else {
      model.backward(grad, false);
    }
    return new StepResult(
        sum, terms, loss.sumsOverBatch(), batch.size(), positions, correct, gradients);
  }
}

package dev.nerve.train;

import dev.nerve.nn.Model;
import dev.nerve.tensor.Tensor;
import java.util.List;

/**
 * What a {@link TraceRecorder} saw: every matrix of the chosen training iterations, and the loss of
 * every iteration of the run. The walkthrough page ({@code dev.nerve.report.trace}) and {@code
 * nerve trace --text} are drawn from it.
 *
 * @param model the traced model (its layers say what each recorded matrix is; its parameters hold
 *     the values at the end of training)
 * @param lossName the loss's name, as in {@link dev.nerve.loss.Loss#name()}
 * @param iterations the recorded iterations, in order
 * @param losses the loss of every iteration of the run, from iteration 1
 */
public record Trace(Model model, String lossName, List<Iteration> iterations, double[] losses) {

  /** A trace; the lists are copied. */
  public Trace {
    iterations = List.copyOf(iterations);
    losses = losses.clone();
  }

  /**
   * One training iteration, every matrix of it.
   *
   * @param epoch the epoch, from 1
   * @param batch the batch within the epoch, from 1
   * @param iteration the update, from 1
   * @param learningRate the optimiser's learning rate for this update
   * @param optimizer the optimiser, as its {@code toString()} names it
   * @param plainGradientDescent whether the update is exactly {@code w - learningRate * gradient}
   *     (SGD without momentum or weight decay), so each new value can be explained from its
   *     gradient
   * @param inputs the batch as the first layer saw it
   * @param targets the batch's targets
   * @param outputs each layer's output (for an activation layer: its activations; for a dense or
   *     convolutional layer: the pre-activation)
   * @param outputGradients the gradient of the loss with respect to each layer's output, the last
   *     the loss's own gradient; null for layers before the first layer with parameters
   * @param slopes for each element-wise activation layer, its derivative at its input (the
   *     tutorial's "slope"); null for other layers
   * @param loss the batch's loss before the update
   * @param parameters every parameter of the model, before and after the update
   * @param insides for each layer, what it computed inside its pass ({@link
   *     dev.nerve.nn.Layer#insides()}): a recurrent layer's gates and states at every time step
   */
  public record Iteration(
      int epoch,
      int batch,
      long iteration,
      float learningRate,
      String optimizer,
      boolean plainGradientDescent,
      Tensor inputs,
      Tensor targets,
      List<Tensor> outputs,
      List<Tensor> outputGradients,
      List<Tensor> slopes,
      double loss,
      List<ParameterTrace> parameters,
      List<java.util.Map<String, Tensor>> insides) {

    /** An iteration without insides (for code written before layers had any). */
    public Iteration(
        int epoch,
        int batch,
        long iteration,
        float learningRate,
        String optimizer,
        boolean plainGradientDescent,
        Tensor inputs,
        Tensor targets,
        List<Tensor> outputs,
        List<Tensor> outputGradients,
        List<Tensor> slopes,
        double loss,
        List<ParameterTrace> parameters) {
      this(
          epoch,
          batch,
          iteration,
          learningRate,
          optimizer,
          plainGradientDescent,
          inputs,
          targets,
          outputs,
          outputGradients,
          slopes,
          loss,
          parameters,
          java.util.Collections.nCopies(outputs.size(), java.util.Map.of()));
    }

    /** An iteration; the lists are copied (null entries kept). */
    public Iteration {
      outputs = List.copyOf(outputs);
      outputGradients =
          java.util.Collections.unmodifiableList(new java.util.ArrayList<>(outputGradients));
      slopes = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(slopes));
      parameters = List.copyOf(parameters);
      insides = List.copyOf(insides);
    }

    /** The input of layer {@code i}: the batch for layer 0, else the output of layer i - 1. */
    public Tensor layerInput(int i) {
      return i == 0 ? inputs : outputs.get(i - 1);
    }

    /** The parameters of layer {@code i}, in the layer's order (empty for none). */
    public List<ParameterTrace> parametersOf(int layer) {
      return parameters.stream().filter(p -> p.layer() == layer).toList();
    }
  }

  /**
   * One parameter in one iteration: its value before and after the update, the backpropagated
   * gradient, and a finite-difference estimate of the gradient for checking it.
   *
   * @param layer the index of the layer it belongs to
   * @param name the parameter's name ({@code weight}, {@code bias}, ...)
   * @param before the value the forward pass used
   * @param gradient the gradient backpropagation computed (after any clipping)
   * @param after the value after the optimiser's update
   * @param numericGradient the central-difference estimate {@code (L(w + h) - L(w - h)) / 2h} for
   *     each checked element, NaN for the elements not checked; null when not checked at all
   * @param checkNote why the gradient was not checked, or null
   */
  public record ParameterTrace(
      int layer,
      String name,
      Tensor before,
      Tensor gradient,
      Tensor after,
      Tensor numericGradient,
      String checkNote) {}
}

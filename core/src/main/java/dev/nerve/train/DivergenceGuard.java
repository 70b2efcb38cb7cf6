package dev.nerve.train;

import dev.nerve.loss.Loss;
import dev.nerve.nn.Layer;
import dev.nerve.nn.Model;
import dev.nerve.nn.Parameter;
import dev.nerve.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The training loop's guard against NaN and infinity: it checks gradients before they reach the
 * weights and the weights after an epoch, and when a batch's loss is not finite it finds the first
 * thing to blame (a parameter, the inputs, a layer's output, the loss itself) and names it with the
 * epoch, the batch and the layer.
 */
final class DivergenceGuard {
  private final Model model;
  private final Loss loss;

  DivergenceGuard(Model model, Loss loss) {
    this.model = model;
    this.loss = loss;
  }

  /** Throws if a parameter value is not finite. */
  void requireFiniteParameters(int epoch, int batch) {
    DivergenceException bad = badParameter(epoch, batch, false);
    if (bad != null) {
      throw bad;
    }
  }

  /** Throws, naming the layer, if a gradient of {@code params} is not finite. */
  void requireFiniteGradients(List<Parameter> params, int epoch, int batch) {
    for (Parameter p : params) {
      if (!p.grad().allFinite()) {
        DivergenceException bad = badParameter(epoch, batch, true);
        throw bad != null
            ? bad
            : new DivergenceException(
                epoch, batch, -1, "the gradient of " + p + " " + kind(p.grad()));
      }
    }
  }

  /** The first layer with a non-finite parameter value (or gradient), named, or null. */
  private DivergenceException badParameter(int epoch, int batch, boolean gradient) {
    List<Layer> layers = model.layers();
    for (int i = 0; i < layers.size(); i++) {
      List<Parameter> ps = layers.get(i).parameters();
      List<String> names = layers.get(i).parameterNames();
      for (int j = 0; j < ps.size(); j++) {
        Tensor t = gradient ? ps.get(j).grad() : ps.get(j).value();
        if (!t.allFinite()) {
          return new DivergenceException(
              epoch,
              batch,
              i,
              (gradient ? "the gradient of " : "")
                  + "layer "
                  + i
                  + " "
                  + layers.get(i)
                  + "'s "
                  + names.get(j)
                  + " "
                  + kind(t));
        }
      }
    }
    return null;
  }

  /**
   * Why the loss of this batch is not finite: a parameter already bad, else the first layer whose
   * output is not finite (the forward pass is run again from {@code randomBefore}, the generators'
   * states before the failed pass, or null if the model has none, on this failure path only), else
   * the loss function itself.
   */
  DivergenceException diagnose(
      int epoch, int batch, Tensor x, int[] lengths, double value, long[] randomBefore) {
    DivergenceException bad = badParameter(epoch, batch, false);
    if (bad != null) {
      return bad;
    }
    if (!x.allFinite()) {
      return new DivergenceException(
          epoch, batch, -1, "the batch's inputs " + kind(x) + " (the loss is " + value + ")");
    }
    List<Tensor> outputs = new ArrayList<>();
    if (randomBefore != null) {
      model.restoreRandomState(randomBefore); // the same masks as the forward pass that failed
    }
    model.forwardRecorded(x, lengths, outputs);
    List<Layer> layers = model.layers();
    for (int i = 0; i < outputs.size(); i++) {
      if (!outputs.get(i).allFinite()) {
        return new DivergenceException(
            epoch,
            batch,
            i,
            "the output of layer "
                + i
                + " "
                + layers.get(i)
                + " "
                + kind(outputs.get(i))
                + " (the loss is "
                + value
                + ")");
      }
    }
    return new DivergenceException(
        epoch, batch, -1, "the loss " + loss.name() + " is " + value + " on finite outputs");
  }

  /** "is NaN" or "is infinite", by the first non-finite value. */
  private static String kind(Tensor t) {
    for (float v : t.data()) {
      if (Float.isNaN(v)) {
        return "is NaN";
      }
      if (Float.isInfinite(v)) {
        return "is infinite";
      }
    }
    return "is finite";
  }
}

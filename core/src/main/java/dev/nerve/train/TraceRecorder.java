package dev.nerve.train;

import dev.nerve.loss.Loss;
import dev.nerve.nn.Activation;
import dev.nerve.nn.Layer;
import dev.nerve.nn.Model;
import dev.nerve.nn.Parameter;
import dev.nerve.optim.Sgd;
import dev.nerve.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * A training listener that records every matrix of chosen iterations: each layer's input and
 * output, the loss and its gradient, each activation's slope, each layer's delta, every parameter
 * before and after the update with its gradient, and a finite-difference check of that gradient. It
 * also keeps the loss of every iteration. It reads what the trainer hands it and changes nothing,
 * so a traced run trains to the same bits as an untraced one.
 *
 * <pre>{@code
 * TraceRecorder recorder = TraceRecorder.at(1, 10, 100, 5000);
 * Tutorial1.trainer(net).listener(recorder).build().fit(Tutorial1.data());
 * Trace trace = recorder.trace();
 * }</pre>
 *
 * <p>The gradient check perturbs one weight at a time by {@code h = 1e-3 * max(1, |w|)} and runs
 * the model forward in inference mode, so it is only made for networks whose training forward is
 * the same as their inference forward (no dropout, no batch normalisation); up to {@link
 * #gradientCheck(int)} elements per parameter are checked, spread evenly over it.
 */
public final class TraceRecorder implements TrainingListener {
  /** Elements checked per parameter unless told otherwise. */
  public static final int DEFAULT_CHECKS = 64;

  private final TreeSet<Long> wanted;
  private int checksPerParameter = DEFAULT_CHECKS;
  private final List<Trace.Iteration> iterations = new ArrayList<>();
  private double[] losses = new double[64];
  private int lossCount;
  private Model model;
  private String lossName;
  private List<Trace.ParameterTrace> pending;

  private TraceRecorder(TreeSet<Long> wanted) {
    this.wanted = wanted;
  }

  /**
   * Records the given iterations (from 1); iterations the run never reaches are simply absent.
   *
   * @throws IllegalArgumentException if none is given or one is below 1
   */
  public static TraceRecorder at(long... iterations) {
    if (iterations.length == 0) {
      throw new IllegalArgumentException("name at least one iteration to trace");
    }
    TreeSet<Long> s = new TreeSet<>();
    for (long i : iterations) {
      if (i < 1) {
        throw new IllegalArgumentException("iterations count from 1, got " + i);
      }
      s.add(i);
    }
    return new TraceRecorder(s);
  }

  /**
   * Records about {@code count} iterations spread from the first to {@code last} on a logarithmic
   * scale (1, 2, 5, 10, 20, 50, ... thinned to the count), always including 1 and {@code last}: the
   * early iterations, where the most changes, and the end.
   *
   * @throws IllegalArgumentException if {@code last < 1} or {@code count < 1}
   */
  public static TraceRecorder spread(long last, int count) {
    return at(spreadIterations(last, count));
  }

  /** The iterations {@link #spread(long, int)} records, in order. */
  public static long[] spreadIterations(long last, int count) {
    if (last < 1 || count < 1) {
      throw new IllegalArgumentException(
          "need a last iteration and a count of at least 1, got " + last + " and " + count);
    }
    TreeSet<Long> all = new TreeSet<>();
    for (long decade = 1; decade <= last && decade > 0; decade *= 10) {
      for (long m : new long[] {1, 2, 5}) {
        if (decade * m <= last) {
          all.add(decade * m);
        }
      }
    }
    all.add(last);
    Long[] candidates = all.toArray(new Long[0]);
    if (candidates.length <= count) {
      return Arrays.stream(candidates).mapToLong(Long::longValue).toArray();
    }
    if (count == 1) {
      return new long[] {1};
    }
    TreeSet<Long> chosen = new TreeSet<>();
    for (int k = 0; k < count; k++) {
      chosen.add(candidates[(int) Math.round((double) k * (candidates.length - 1) / (count - 1))]);
    }
    return chosen.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * Checks at most {@code perParameter} elements of each parameter's gradient by finite differences
   * (0 for no check). Returns this recorder.
   */
  public TraceRecorder gradientCheck(int perParameter) {
    if (perParameter < 0) {
      throw new IllegalArgumentException("a check count must be 0 or more, got " + perParameter);
    }
    this.checksPerParameter = perParameter;
    return this;
  }

  /** The iterations this recorder asks for. */
  public long[] iterations() {
    return wanted.stream().mapToLong(Long::longValue).toArray();
  }

  @Override
  public boolean wantsStep(int epoch, int batch, long iteration) {
    return wanted.contains(iteration);
  }

  @Override
  public void onStep(Step step) {
    model = step.model();
    lossName = step.lossFunction().name();
    List<Layer> layers = model.layers();
    List<Tensor> slopes = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      Tensor in = i == 0 ? step.inputs() : step.layerOutputs().get(i - 1);
      slopes.add(
          layers.get(i) instanceof Activation a ? a.slope(in, step.layerOutputs().get(i)) : null);
    }
    // Before the gradient check: its passes do not touch a layer's last training pass, but take
    // the insides first all the same.
    List<java.util.Map<String, Tensor>> insides = new ArrayList<>();
    for (Layer l : layers) {
      java.util.Map<String, Tensor> m = l.insides();
      insides.add(m == null ? java.util.Map.of() : m);
    }
    String why = checkUnavailable(layers);
    List<Trace.ParameterTrace> params = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      List<Parameter> ps = layers.get(i).parameters();
      List<String> names = layers.get(i).parameterNames();
      for (int j = 0; j < ps.size(); j++) {
        Parameter p = ps.get(j);
        Tensor numeric = null;
        String note = why;
        if (why == null && checksPerParameter > 0) {
          numeric = finiteDifferences(step, p);
          int checked = Math.min(checksPerParameter, p.value().size());
          note =
              checked < p.value().size()
                  ? checked + " of " + p.value().size() + " elements checked, spread evenly"
                  : null;
          if (step.gradientsClipped()) {
            String clipped =
                "the gradients were clipped before this update, so where clipping changed them"
                    + " they differ from the loss's own gradient that finite differences estimate";
            note = note == null ? clipped : note + "; " + clipped;
          }
        } else if (why == null) {
          note = "gradient check switched off";
        }
        params.add(
            new Trace.ParameterTrace(
                i,
                names.get(j),
                p.value().copy(),
                p.grad().copy(),
                p.value().copy(),
                numeric,
                note));
      }
    }
    pending = params;
    boolean plain =
        step.optimizer() instanceof Sgd s && s.momentum() == 0f && s.weightDecay() == 0f;
    iterations.add(
        new Trace.Iteration(
            step.epoch(),
            step.batch(),
            step.iteration(),
            step.optimizer().learningRate(),
            step.optimizer().toString(),
            plain,
            step.inputs(),
            step.targets(),
            step.layerOutputs(),
            step.outputGradients(),
            slopes,
            step.loss(),
            params,
            insides));
  }

  private static String checkUnavailable(List<Layer> layers) {
    for (Layer l : layers) {
      if (!l.trainsAsItPredicts()) {
        return "not checked: "
            + l
            + " trains differently from how it predicts, so a perturbed forward pass cannot"
            + " reproduce the training loss";
      }
    }
    return null;
  }

  private Tensor finiteDifferences(Step step, Parameter p) {
    Model m = step.model();
    Loss loss = step.lossFunction();
    float[] w = p.value().data();
    int n = w.length;
    int checks = Math.min(checksPerParameter, n);
    Tensor numeric = Tensor.full(Float.NaN, p.value().shape().dims());
    for (int k = 0; k < checks; k++) {
      int i = (int) ((long) k * n / checks);
      float v = w[i];
      float h = 1e-3f * Math.max(1f, Math.abs(v));
      float plus = v + h;
      float minus = v - h;
      try {
        w[i] = plus;
        double up =
            loss.value(
                m.forward(step.inputs(), step.lengths(), false), step.targets(), step.mask());
        w[i] = minus;
        double down =
            loss.value(
                m.forward(step.inputs(), step.lengths(), false), step.targets(), step.mask());
        numeric.data()[i] = (float) ((up - down) / ((double) plus - minus));
      } finally {
        w[i] = v;
      }
    }
    return numeric;
  }

  @Override
  public void onBatchEnd(BatchEnd event) {
    if (lossCount == losses.length) {
      losses = Arrays.copyOf(losses, losses.length * 2);
    }
    losses[lossCount++] = event.loss();
    if (pending != null) {
      List<Parameter> live = model.parameters();
      for (int k = 0; k < pending.size(); k++) {
        pending.get(k).after().copyFromInPlace(live.get(k).value());
      }
      pending = null;
    }
  }

  /**
   * What was recorded so far.
   *
   * @throws IllegalStateException if no wanted iteration has been reached yet
   */
  public Trace trace() {
    if (model == null) {
      throw new IllegalStateException(
          "no traced iteration was reached: the run made "
              + lossCount
              + " updates and the trace asks for "
              + wanted);
    }
    return new Trace(model, lossName, iterations, Arrays.copyOf(losses, lossCount));
  }
}

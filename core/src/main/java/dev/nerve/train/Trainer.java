package dev.nerve.train;

import dev.nerve.data.Batcher;
import dev.nerve.data.Dataset;
import dev.nerve.loss.Loss;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.GradientClipping;
import dev.nerve.optim.LearningRateSchedule;
import dev.nerve.optim.Optimizer;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The training loop, outside the model: for each epoch, for each batch, forward propagation, the
 * loss, backpropagation, and an optimiser step.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(net, new HalfSquaredError(), new Sgd(net.parameters(), 0.1f))
 *     .epochs(5000)
 *     .batchSize(Trainer.FULL_BATCH)
 *     .build();
 * History history = trainer.fit(x, y);
 * }</pre>
 *
 * <p>One iteration is exactly the tutorials' steps: zero the gradients, {@code output =
 * net.forward(batch)}, {@code loss(output, target)}, {@code net.backward(dLoss/dOutput)}, {@code
 * optimizer.step()}. A loss that becomes NaN or infinite stops training with a {@link
 * DivergenceException} naming the epoch and batch.
 */
public final class Trainer {
  /** Batch size meaning "all examples at once": full-batch gradient descent. */
  public static final int FULL_BATCH = Integer.MAX_VALUE;

  private final Sequential model;
  private final Loss loss;
  private final Optimizer optimizer;
  private final int epochs;
  private final int batchSize;
  private final long shuffleSeed;
  private final boolean shuffle;
  private final List<TrainingListener> listeners;
  private final Dataset validation;
  private final EarlyStopping earlyStopping;
  private final LearningRateSchedule schedule;
  private final float clipNorm;
  private final float clipValue;
  private final TrainingState resume;

  /** The layers' random generators before the current batch, for diagnosing a divergence. */
  private long[] randomBefore;

  private Trainer(Builder b) {
    this.model = b.model;
    this.loss = b.loss;
    this.optimizer = b.optimizer;
    this.epochs = b.epochs;
    this.batchSize = b.batchSize;
    this.shuffle = b.shuffle;
    this.shuffleSeed = b.shuffleSeed;
    this.listeners = List.copyOf(b.listeners);
    this.validation = b.validation;
    this.earlyStopping = b.earlyStopping;
    this.schedule = b.schedule;
    this.clipNorm = b.clipNorm;
    this.clipValue = b.clipValue;
    this.resume = b.resume;
    if (earlyStopping != null && earlyStopping.monitor().needsValidation() && validation == null) {
      throw new IllegalArgumentException(
          "early stopping on "
              + earlyStopping.monitor().id()
              + " needs a validation set (Builder.validation)");
    }
  }

  /** A builder for training {@code model} on {@code loss} with {@code optimizer}. */
  public static Builder builder(Sequential model, Loss loss, Optimizer optimizer) {
    return new Builder(model, loss, optimizer);
  }

  /** Trains on inputs {@code x} and targets {@code y}; see {@link #fit(Dataset)}. */
  public History fit(Tensor x, Tensor y) {
    return fit(new Dataset(x, y));
  }

  /**
   * Trains for the configured number of epochs and returns the loss history.
   *
   * @throws IllegalStateException if the model's parameters were never set
   * @throws dev.nerve.tensor.ShapeMismatchException if the data does not fit the model, naming the
   *     layer and the shapes
   * @throws DivergenceException if the loss becomes NaN or infinite
   */
  public History fit(Dataset data) {
    model.requireInitialized();
    if (data.size() == 0) {
      throw new IllegalArgumentException("cannot train on an empty dataset");
    }
    boolean wholeBatch = batchSize >= data.size();
    Rng rng = shuffle && !wholeBatch ? new Rng(shuffleSeed) : null;
    Batcher batcher = new Batcher(data, batchSize, rng);
    int batches = batcher.batchesPerEpoch();
    History history = new History();
    TrainingListener.TrainStart start =
        new TrainingListener.TrainStart(epochs, batches, data.size());
    for (TrainingListener l : listeners) {
      l.onTrainStart(start);
    }
    Tensor grad = null;
    long iteration = 0;
    double best = Double.NaN;
    int bestEpoch = 0;
    int sinceBest = 0;
    float[][] bestWeights = null;
    int lastEpoch = 0;
    float baseRate = optimizer.learningRate();
    double scheduleLoss = Double.NaN;
    int firstEpoch = 1;
    if (resume != null) {
      TrainingState r = resume;
      if (r.examples() != data.size() || r.batchSize() != batchSize) {
        throw new IllegalArgumentException(
            "the saved state is for "
                + r.examples()
                + " examples in batches of "
                + r.batchSize()
                + "; this run has "
                + data.size()
                + " in batches of "
                + batchSize);
      }
      if (r.epochsDone() > epochs) {
        throw new IllegalArgumentException(
            "the saved run has done "
                + r.epochsDone()
                + " epochs, more than the "
                + epochs
                + " asked for now");
      }
      if (r.bestWeights() != null) {
        List<dev.nerve.nn.Parameter> ps = model.parameters();
        boolean fits = r.bestWeights().length == ps.size();
        for (int i = 0; fits && i < ps.size(); i++) {
          fits = r.bestWeights()[i].length == ps.get(i).value().size();
        }
        if (!fits) {
          throw new IllegalArgumentException("the saved best weights do not fit this model");
        }
      }
      batcher.restoreInPlace(r.order(), r.shuffleState());
      optimizer.restoreState(r.optimizerState());
      model.restoreRandomState(r.randomStates());
      history = History.restore(r);
      iteration = r.iteration();
      baseRate = r.baseRate();
      optimizer.setLearningRate(r.learningRate());
      bestWeights = r.bestWeights() == null ? null : copy(r.bestWeights());
      // Schedules and early stopping only ever see the per-epoch losses: replay them.
      double[] el = r.epochLosses();
      double[] acc = r.trainAccuracies();
      double[] vl = r.validationLosses();
      double[] va = r.validationAccuracies();
      for (int e = 1; e <= r.epochsDone(); e++) {
        if (schedule != null) {
          schedule.rate(e, baseRate, scheduleLoss);
        }
        scheduleLoss = validation != null ? vl[e - 1] : el[e - 1];
        if (earlyStopping != null) {
          double w = watched(el[e - 1], acc[e - 1], vl[e - 1], va[e - 1]);
          if (earlyStopping.improves(w, best)) {
            best = w;
            bestEpoch = e;
            sinceBest = 0;
          } else {
            sinceBest++;
          }
        }
      }
      lastEpoch = r.epochsDone();
      firstEpoch = r.epochsDone() + 1;
    }
    for (int epoch = firstEpoch; epoch <= epochs; epoch++) {
      long t0 = System.nanoTime();
      if (schedule != null) {
        // The optimisers refuse a rate of 0; a schedule that reaches it gets the smallest float.
        optimizer.setLearningRate(
            Math.max(Float.MIN_NORMAL, schedule.rate(epoch, baseRate, scheduleLoss)));
      }
      float epochRate = optimizer.learningRate();
      batcher.startEpoch();
      double weighted = 0;
      long right = 0;
      for (int b = 0; b < batches; b++) {
        Tensor xb = batcher.x(b);
        Tensor yb = batcher.y(b);
        optimizer.zeroGrad();
        randomBefore = model.randomState();
        boolean traced = wantsStep(epoch, b + 1, iteration + 1);
        List<Tensor> outputs = traced ? new ArrayList<>() : null;
        Tensor out = traced ? model.forwardRecorded(xb, outputs) : model.forward(xb, true);
        double value = loss.value(out, yb);
        if (!Double.isFinite(value)) {
          throw diagnose(epoch, b + 1, xb, value);
        }
        if (right >= 0) {
          int r = Evaluation.countRight(out, yb);
          right = r < 0 ? -1 : right + r;
        }
        if (grad == null || !grad.shape().equals(out.shape())) {
          grad = Tensor.zeros(out.shape().dims());
        }
        loss.gradient(out, yb, grad);
        List<Tensor> gradients = traced ? new ArrayList<>() : null;
        if (traced) {
          model.backwardRecorded(grad, false, gradients);
        } else {
          model.backward(grad, false);
        }
        if (clipValue > 0) {
          GradientClipping.clipByValueInPlace(optimizer.parameters(), clipValue);
        }
        if (clipNorm > 0) {
          GradientClipping.clipByGlobalNormInPlace(optimizer.parameters(), clipNorm);
        }
        // A bad gradient is stopped before it reaches the weights.
        requireFiniteGradients(epoch, b + 1);
        if (traced) {
          TrainingListener.Step step =
              new TrainingListener.Step(
                  epoch,
                  b + 1,
                  iteration + 1,
                  model.viewAsInput(xb).copy(),
                  yb.copy(),
                  List.copyOf(outputs),
                  java.util.Collections.unmodifiableList(gradients),
                  value,
                  loss,
                  model,
                  optimizer,
                  clipValue > 0 || clipNorm > 0);
          for (TrainingListener l : listeners) {
            if (l.wantsStep(epoch, b + 1, iteration + 1)) {
              l.onStep(step);
            }
          }
        }
        optimizer.step();
        iteration++;
        history.addIteration(value);
        weighted += loss.sumsOverBatch() ? value : value * xb.rows();
        if (!listeners.isEmpty()) {
          TrainingListener.BatchEnd e =
              new TrainingListener.BatchEnd(epoch, b + 1, iteration, xb.rows(), value);
          for (TrainingListener l : listeners) {
            l.onBatchEnd(e);
          }
        }
      }
      double epochLoss = loss.sumsOverBatch() ? weighted : weighted / data.size();
      double accuracy = right < 0 ? Double.NaN : (double) right / data.size();
      double valLoss = Double.NaN;
      double valAccuracy = Double.NaN;
      if (validation != null) {
        requireFiniteParameters(epoch, batches);
        Evaluation ev = Evaluation.of(model, loss, validation);
        valLoss = ev.loss();
        valAccuracy = ev.accuracy();
      }
      long nanos = System.nanoTime() - t0;
      history.addEpoch(epochLoss, accuracy, valLoss, valAccuracy, nanos);
      history.addLearningRate(epochRate);
      scheduleLoss = validation != null ? valLoss : epochLoss;
      lastEpoch = epoch;
      if (!listeners.isEmpty()) {
        TrainingListener.EpochEnd e =
            new TrainingListener.EpochEnd(
                epoch, epochs, epochLoss, accuracy, valLoss, valAccuracy, nanos, epochRate);
        for (TrainingListener l : listeners) {
          l.onEpochEnd(e);
        }
      }
      if (earlyStopping != null) {
        double watched = watched(epochLoss, accuracy, valLoss, valAccuracy);
        if (Double.isNaN(watched)) {
          throw new IllegalStateException(
              "early stopping monitors "
                  + earlyStopping.monitor().id()
                  + ", which is not defined for these targets (accuracy needs classes)");
        }
        if (earlyStopping.improves(watched, best)) {
          best = watched;
          bestEpoch = epoch;
          sinceBest = 0;
          if (earlyStopping.restoreBest()) {
            bestWeights = snapshot(bestWeights);
          }
        } else if (++sinceBest >= earlyStopping.patience()) {
          history.setStoppedAt(epoch);
          break;
        }
      }
      if (wantsState(epoch)) {
        // Never save (and let a checkpoint push out good ones with) weights the last update of
        // the epoch made non-finite.
        requireFiniteParameters(epoch, batches);
        dev.nerve.optim.Optimizer.State os = optimizer.state();
        TrainingState state =
            new TrainingState(
                epoch,
                iteration,
                data.size(),
                batchSize,
                batcher.order(),
                batcher.rngState(),
                baseRate,
                optimizer.learningRate(),
                os.steps(),
                os.arrays(),
                model.randomState(),
                history.iterationLosses(),
                history.epochLosses(),
                history.trainAccuracies(),
                history.validationLosses(),
                history.validationAccuracies(),
                history.epochSeconds(),
                history.learningRates(),
                bestWeights == null ? null : copy(bestWeights));
        for (TrainingListener l : listeners) {
          if (l.wantsState(epoch)) {
            l.onState(state);
          }
        }
      }
    }
    // The loss is checked before each update; the last update is checked here, so a run
    // never returns non-finite weights.
    requireFiniteParameters(lastEpoch, batches);
    if (bestWeights != null && bestEpoch != lastEpoch) {
      restore(bestWeights);
      history.setBestEpoch(bestEpoch);
    }
    for (TrainingListener l : listeners) {
      l.onTrainEnd(history);
    }
    return history;
  }

  private double watched(double epochLoss, double accuracy, double valLoss, double valAccuracy) {
    return switch (earlyStopping.monitor()) {
      case LOSS -> epochLoss;
      case ACCURACY -> accuracy;
      case VALIDATION_LOSS -> valLoss;
      case VALIDATION_ACCURACY -> valAccuracy;
    };
  }

  private boolean wantsState(int epoch) {
    for (TrainingListener l : listeners) {
      if (l.wantsState(epoch)) {
        return true;
      }
    }
    return false;
  }

  private static float[][] copy(float[][] a) {
    float[][] c = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }

  private boolean wantsStep(int epoch, int batch, long iteration) {
    for (TrainingListener l : listeners) {
      if (l.wantsStep(epoch, batch, iteration)) {
        return true;
      }
    }
    return false;
  }

  private void requireFiniteParameters(int epoch, int batch) {
    DivergenceException bad = badParameter(epoch, batch, false);
    if (bad != null) {
      throw bad;
    }
  }

  private void requireFiniteGradients(int epoch, int batch) {
    for (dev.nerve.nn.Parameter p : optimizer.parameters()) {
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
    List<dev.nerve.nn.Layer> layers = model.layers();
    for (int i = 0; i < layers.size(); i++) {
      for (dev.nerve.nn.Parameter p : layers.get(i).parameters()) {
        Tensor t = gradient ? p.grad() : p.value();
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
                  + p.name()
                  + " "
                  + kind(t));
        }
      }
    }
    return null;
  }

  /**
   * Why the loss of this batch is not finite: a parameter already bad, else the first layer whose
   * output is not finite (the forward pass is run again, on this failure path only), else the loss
   * function itself.
   */
  private DivergenceException diagnose(int epoch, int batch, Tensor xb, double value) {
    DivergenceException bad = badParameter(epoch, batch, false);
    if (bad != null) {
      return bad;
    }
    if (!xb.allFinite()) {
      return new DivergenceException(
          epoch, batch, -1, "the batch's inputs " + kind(xb) + " (the loss is " + value + ")");
    }
    List<Tensor> outputs = new ArrayList<>();
    model.restoreRandomState(randomBefore); // the same masks as the forward pass that failed
    model.forwardRecorded(xb, outputs);
    List<dev.nerve.nn.Layer> layers = model.layers();
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

  private float[][] snapshot(float[][] into) {
    List<dev.nerve.nn.Parameter> ps = model.parameters();
    float[][] s = into != null ? into : new float[ps.size()][];
    for (int i = 0; i < s.length; i++) {
      float[] v = ps.get(i).value().data();
      if (s[i] == null) {
        s[i] = new float[v.length];
      }
      System.arraycopy(v, 0, s[i], 0, v.length);
    }
    return s;
  }

  private void restore(float[][] weights) {
    List<dev.nerve.nn.Parameter> ps = model.parameters();
    for (int i = 0; i < weights.length; i++) {
      System.arraycopy(weights[i], 0, ps.get(i).value().data(), 0, weights[i].length);
    }
  }

  /** Options for a {@link Trainer}; all but the model, loss and optimiser have defaults. */
  public static final class Builder {
    private final Sequential model;
    private final Loss loss;
    private final Optimizer optimizer;
    private int epochs = 1;
    private int batchSize = 32;
    private boolean shuffle = true;
    private long shuffleSeed = 0;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private Dataset validation;
    private EarlyStopping earlyStopping;
    private LearningRateSchedule schedule;
    private float clipNorm;
    private float clipValue;
    private TrainingState resume;

    private Builder(Sequential model, Loss loss, Optimizer optimizer) {
      if (model == null || loss == null || optimizer == null) {
        throw new IllegalArgumentException("model, loss and optimizer are all required");
      }
      this.model = model;
      this.loss = loss;
      this.optimizer = optimizer;
    }

    /** Number of passes over the data (default 1). */
    public Builder epochs(int epochs) {
      if (epochs < 0) {
        throw new IllegalArgumentException("epochs must be zero or more, got " + epochs);
      }
      this.epochs = epochs;
      return this;
    }

    /**
     * Examples per update (default 32): {@link #FULL_BATCH} for full-batch gradient descent, 1 for
     * stochastic gradient descent.
     */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Shuffle the examples at every epoch with a generator seeded by {@code seed} (the default,
     * with seed 0). Full batches are never shuffled: the order cannot matter.
     */
    public Builder shuffle(long seed) {
      this.shuffle = true;
      this.shuffleSeed = seed;
      return this;
    }

    /** Keep the examples in their order. */
    public Builder noShuffle() {
      this.shuffle = false;
      return this;
    }

    /** Adds a listener for training events. */
    public Builder listener(TrainingListener listener) {
      listeners.add(listener);
      return this;
    }

    /**
     * Evaluates the model on {@code validation} after every epoch (loss, and accuracy for classes);
     * the values reach the history and {@link TrainingListener.EpochEnd}. Null for none.
     */
    public Builder validation(Dataset validation) {
      this.validation = validation;
      return this;
    }

    /**
     * Sets the optimiser's learning rate before every epoch as {@code schedule} says, from the rate
     * it had when training started; null for a constant rate.
     */
    public Builder learningRateSchedule(LearningRateSchedule schedule) {
      this.schedule = schedule;
      return this;
    }

    /**
     * Scales the gradients before each step so that their global L2 norm is at most {@code maxNorm}
     * (0 for no limit); see {@link GradientClipping#clipByGlobalNormInPlace}.
     *
     * @throws IllegalArgumentException if negative or not finite
     */
    public Builder clipGradientNorm(float maxNorm) {
      this.clipNorm = checkClip(maxNorm);
      return this;
    }

    /**
     * Clamps every gradient value into {@code [-limit, limit]} before each step (0 for no limit);
     * applied before norm clipping when both are set.
     *
     * @throws IllegalArgumentException if negative or not finite
     */
    public Builder clipGradientValue(float limit) {
      this.clipValue = checkClip(limit);
      return this;
    }

    private static float checkClip(float v) {
      if (!(v >= 0f) || !Float.isFinite(v)) {
        throw new IllegalArgumentException("a gradient limit must be 0 or positive, got " + v);
      }
      return v;
    }

    /**
     * Continues a run from a checkpoint's state instead of starting it: the model must already hold
     * the checkpoint's parameters and buffers, and the data, batch size, optimiser, schedule and
     * early stopping must be those of the saved run. Training goes on from the epoch after {@link
     * TrainingState#epochsDone()} to {@link #epochs}, and ends with the same bits as a run never
     * stopped. Null to start afresh.
     */
    public Builder resumeFrom(TrainingState state) {
      this.resume = state;
      return this;
    }

    /** Stops training early as {@code rule} says; null for never. */
    public Builder earlyStopping(EarlyStopping rule) {
      this.earlyStopping = rule;
      return this;
    }

    /**
     * The trainer.
     *
     * @throws IllegalArgumentException if early stopping watches a validation value and there is no
     *     validation set
     */
    public Trainer build() {
      return new Trainer(this);
    }
  }
}

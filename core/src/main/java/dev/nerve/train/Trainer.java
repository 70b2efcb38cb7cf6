package dev.nerve.train;

import dev.nerve.data.Batch;
import dev.nerve.data.Batcher;
import dev.nerve.data.Dataset;
import dev.nerve.loss.Loss;
import dev.nerve.nn.Model;
import dev.nerve.optim.GradientClipping;
import dev.nerve.optim.LearningRateSchedule;
import dev.nerve.optim.Optimizer;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The training loop, outside the model (Nielsen's {@code SGD} over {@code update_mini_batch}): for
 * each epoch, for each batch, the batch's gradients from a {@link GradientSource} (by default a
 * {@link TrainingStep} on this machine), then gradient clipping and the optimiser's step. Around
 * it, each policy is a small object of its own: the learning-rate schedule ({@link
 * ScheduleDriver}), validation ({@link Evaluation}), early stopping ({@link EarlyStopper}), the
 * divergence guard ({@link DivergenceGuard}); checkpoints, traces and progress are listeners.
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
 * DivergenceException} naming the epoch and batch. It trains any {@link Model}.
 */
public final class Trainer {
  /** Batch size meaning "all examples at once": full-batch gradient descent. */
  public static final int FULL_BATCH = Integer.MAX_VALUE;

  private final Model model;
  private final Loss loss;
  private final Optimizer optimizer;
  private final int epochs;
  private final int batchSize;
  private final long shuffleSeed;
  private final boolean shuffle;
  private final boolean bucketing;
  private final List<TrainingListener> listeners;
  private final Dataset validation;
  private final EarlyStopping earlyStopping;
  private final LearningRateSchedule schedule;
  private final float clipNorm;
  private final float clipValue;
  private final TrainingState resume;
  private final TrainingStep step;
  private final GradientSource source;

  private Trainer(Builder b) {
    this.model = b.model;
    this.loss = b.loss;
    this.optimizer = b.optimizer;
    this.epochs = b.epochs;
    this.batchSize = b.batchSize;
    this.shuffle = b.shuffle;
    this.bucketing = b.bucketing;
    this.shuffleSeed = b.shuffleSeed;
    this.listeners = List.copyOf(b.listeners);
    this.validation = b.validation;
    this.earlyStopping = b.earlyStopping;
    this.schedule = b.schedule;
    this.clipNorm = b.clipNorm;
    this.clipValue = b.clipValue;
    this.resume = b.resume;
    this.step = new TrainingStep(b.model, b.loss);
    this.source = b.source != null ? b.source : step;
    if (earlyStopping != null && earlyStopping.monitor().needsValidation() && validation == null) {
      throw new IllegalArgumentException(
          "early stopping on "
              + earlyStopping.monitor().id()
              + " needs a validation set (Builder.validation)");
    }
  }

  /** A builder for training {@code model} on {@code loss} with {@code optimizer}. */
  public static Builder builder(Model model, Loss loss, Optimizer optimizer) {
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
    Batcher batcher = new Batcher(data, batchSize, rng).bucketByLength(bucketing);
    int batches = batcher.batchesPerEpoch();
    TrainingListener.TrainStart start =
        new TrainingListener.TrainStart(epochs, batches, data.size());
    for (TrainingListener l : listeners) {
      l.onTrainStart(start);
    }
    DivergenceGuard guard = new DivergenceGuard(model, loss);
    ScheduleDriver rates = new ScheduleDriver(schedule, optimizer.learningRate());
    EarlyStopper stopper = earlyStopping == null ? null : new EarlyStopper(earlyStopping, model);
    History history = new History();
    // Generators to rewind when diagnosing a diverged batch; most networks have none.
    boolean random = model.randomState().length > 0;
    long iteration = 0;
    int lastEpoch = 0;
    if (resume != null) {
      history = resume(resume, data, batcher, rates, stopper);
      iteration = resume.iteration();
      lastEpoch = resume.epochsDone();
    }
    for (int epoch = lastEpoch + 1; epoch <= epochs; epoch++) {
      long t0 = System.nanoTime();
      rates.beforeEpoch(epoch, optimizer);
      float epochRate = optimizer.learningRate();
      batcher.startEpoch();
      model.resetState(); // a stateful recurrent layer starts every epoch from a zero state
      double weighted = 0;
      long positions = 0;
      long right = 0;
      for (int b = 0; b < batches; b++) {
        Batch batch = batcher.batch(b);
        long[] randomBefore = random ? model.randomState() : null;
        boolean traced = wantsStep(epoch, b + 1, iteration + 1);
        if (traced && source != step) {
          throw new IllegalStateException(
              "epoch "
                  + epoch
                  + ", batch "
                  + (b + 1)
                  + ": a listener traces this iteration, which records every layer of one"
                  + " whole-batch pass on this machine, but the gradients come from shards or a"
                  + " cluster; trace an ordinary run instead");
        }
        List<Tensor> outputs = traced ? new ArrayList<>() : null;
        List<Tensor> gradients = traced ? new ArrayList<>() : null;
        StepResult r = traced ? step.run(batch, 0, outputs, gradients) : source.gradients(batch);
        double value = r.loss();
        if (!r.finite()) {
          throw guard.diagnose(epoch, b + 1, batch.x(), batch.lengths(), value, randomBefore);
        }
        right = right < 0 || r.correct() < 0 ? -1 : right + r.correct();
        if (clipValue > 0) {
          GradientClipping.clipByValueInPlace(optimizer.parameters(), clipValue);
        }
        if (clipNorm > 0) {
          GradientClipping.clipByGlobalNormInPlace(optimizer.parameters(), clipNorm);
        }
        // A bad gradient is stopped before it reaches the weights.
        guard.requireFiniteGradients(optimizer.parameters(), epoch, b + 1);
        if (traced) {
          TrainingListener.Step s =
              new TrainingListener.Step(
                  epoch,
                  b + 1,
                  iteration + 1,
                  model.viewAsInput(batch.x()).copy(),
                  batch.y().copy(),
                  batch.mask() == null ? null : batch.mask().copy(),
                  batch.lengths() == null ? null : batch.lengths().clone(),
                  List.copyOf(outputs),
                  Collections.unmodifiableList(gradients),
                  value,
                  loss,
                  model,
                  optimizer,
                  clipValue > 0 || clipNorm > 0);
          for (TrainingListener l : listeners) {
            if (l.wantsStep(epoch, b + 1, iteration + 1)) {
              l.onStep(s);
            }
          }
        }
        optimizer.step();
        iteration++;
        history.addIteration(value);
        weighted += loss.sumsOverBatch() ? value : value * r.positions();
        positions += r.positions();
        if (!listeners.isEmpty()) {
          TrainingListener.BatchEnd e =
              new TrainingListener.BatchEnd(epoch, b + 1, iteration, batch.size(), value);
          for (TrainingListener l : listeners) {
            l.onBatchEnd(e);
          }
        }
      }
      if (positions == 0) {
        throw new IllegalArgumentException(
            "epoch "
                + epoch
                + ": the mask keeps no position of any example, so there is nothing to learn from");
      }
      double epochLoss = loss.sumsOverBatch() ? weighted : weighted / positions;
      double accuracy = right < 0 ? Double.NaN : (double) right / positions;
      double valLoss = Double.NaN;
      double valAccuracy = Double.NaN;
      if (validation != null) {
        guard.requireFiniteParameters(epoch, batches);
        Evaluation ev = Evaluation.of(model, loss, validation);
        valLoss = ev.loss();
        valAccuracy = ev.accuracy();
      }
      long nanos = System.nanoTime() - t0;
      history.addEpoch(epochLoss, accuracy, valLoss, valAccuracy, nanos);
      history.addLearningRate(epochRate);
      rates.afterEpoch(validation != null ? valLoss : epochLoss);
      lastEpoch = epoch;
      if (!listeners.isEmpty()) {
        TrainingListener.EpochEnd e =
            new TrainingListener.EpochEnd(
                epoch, epochs, epochLoss, accuracy, valLoss, valAccuracy, nanos, epochRate);
        for (TrainingListener l : listeners) {
          l.onEpochEnd(e);
        }
      }
      if (stopper != null
          && stopper.stopAfter(epoch, stopper.watched(epochLoss, accuracy, valLoss, valAccuracy))) {
        history.setStoppedAt(epoch);
        break;
      }
      if (wantsState(epoch)) {
        // Never save (and let a checkpoint push out good ones with) weights the last update of
        // the epoch made non-finite.
        guard.requireFiniteParameters(epoch, batches);
        TrainingState state = state(epoch, iteration, data, batcher, rates, stopper, history);
        for (TrainingListener l : listeners) {
          if (l.wantsState(epoch)) {
            l.onState(state);
          }
        }
      }
    }
    // The loss is checked before each update; the last update is checked here, so a run
    // never returns non-finite weights.
    guard.requireFiniteParameters(lastEpoch, batches);
    if (stopper != null) {
      int restored = stopper.restoreBest(lastEpoch);
      if (restored > 0) {
        history.setBestEpoch(restored);
      }
    }
    for (TrainingListener l : listeners) {
      l.onTrainEnd(history);
    }
    return history;
  }

  /**
   * Puts the run where a checkpoint left it: the batcher's order and generator, the optimiser, the
   * layers' generators, the history, and the schedule and early stopping replayed over the finished
   * epochs (they only ever see the per-epoch values).
   */
  private History resume(
      TrainingState r, Dataset data, Batcher batcher, ScheduleDriver rates, EarlyStopper stopper) {
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
    if (stopper != null) {
      stopper.resumeWith(r.bestWeights());
    }
    batcher.restoreInPlace(r.order(), r.shuffleState());
    optimizer.restoreState(r.optimizerState());
    model.restoreRandomState(r.randomStates());
    History history = History.restore(r);
    rates.resumeFrom(r.baseRate());
    optimizer.setLearningRate(r.learningRate());
    double[] el = r.epochLosses();
    double[] acc = r.trainAccuracies();
    double[] vl = r.validationLosses();
    double[] va = r.validationAccuracies();
    for (int e = 1; e <= r.epochsDone(); e++) {
      rates.replay(e, validation != null ? vl[e - 1] : el[e - 1]);
      if (stopper != null) {
        stopper.replay(e, stopper.watched(el[e - 1], acc[e - 1], vl[e - 1], va[e - 1]));
      }
    }
    return history;
  }

  /** The state that continues this run after {@code epoch}, for a checkpoint. */
  private TrainingState state(
      int epoch,
      long iteration,
      Dataset data,
      Batcher batcher,
      ScheduleDriver rates,
      EarlyStopper stopper,
      History history) {
    Optimizer.State os = optimizer.state();
    return new TrainingState(
        epoch,
        iteration,
        data.size(),
        batchSize,
        batcher.order(),
        batcher.rngState(),
        rates.baseRate(),
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
        stopper == null ? null : stopper.bestWeights());
  }

  private boolean wantsState(int epoch) {
    for (TrainingListener l : listeners) {
      if (l.wantsState(epoch)) {
        return true;
      }
    }
    return false;
  }

  private boolean wantsStep(int epoch, int batch, long iteration) {
    for (TrainingListener l : listeners) {
      if (l.wantsStep(epoch, batch, iteration)) {
        return true;
      }
    }
    return false;
  }

  /** Options for a {@link Trainer}; all but the model, loss and optimiser have defaults. */
  public static final class Builder {
    private final Model model;
    private final Loss loss;
    private final Optimizer optimizer;
    private int epochs = 1;
    private int batchSize = 32;
    private boolean shuffle = true;
    private boolean bucketing;
    private long shuffleSeed = 0;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private Dataset validation;
    private EarlyStopping earlyStopping;
    private LearningRateSchedule schedule;
    private float clipNorm;
    private float clipValue;
    private TrainingState resume;
    private GradientSource source;

    private Builder(Model model, Loss loss, Optimizer optimizer) {
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

    /**
     * For data with sequence lengths: batches of examples of similar length, so each batch (cut to
     * its longest example) carries little padding; see {@link Batcher#bucketByLength}.
     */
    public Builder bucketByLength(boolean on) {
      this.bucketing = on;
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

    /**
     * Where each batch's gradients come from: by default a {@link TrainingStep} on this machine; a
     * distributed source computes slices on workers and combines them ({@link StepResult#combine}).
     * Tracing (a listener that wants a step's every layer) needs the default source: with another,
     * a traced iteration is refused. Null for the default.
     */
    public Builder gradientSource(GradientSource source) {
      this.source = source;
      return this;
    }

    /**
     * Computes each batch's gradients in {@code k} shards on this machine and adds them in shard
     * order, as {@code k} workers of a cluster do ({@link ShardedStep}): a run with {@code k} Spark
     * partitions ends with the same bytes. 1 is ordinary training.
     *
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public Builder shards(int k) {
      if (k < 1) {
        throw new IllegalArgumentException("shards must be at least 1, got " + k);
      }
      this.source = k == 1 ? null : new ShardedStep(model, loss, k);
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

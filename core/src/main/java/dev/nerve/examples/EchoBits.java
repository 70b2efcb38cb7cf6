package dev.nerve.examples;

import dev.nerve.data.Dataset;
import dev.nerve.io.ModelSpec;
import dev.nerve.loss.HalfSquaredError;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Init;
import dev.nerve.nn.NoSettings;
import dev.nerve.nn.RNN;
import dev.nerve.nn.Recurrent;
import dev.nerve.nn.Sigmoid;
import dev.nerve.tensor.Tensor;
import dev.nerve.train.Trainer;
import java.util.List;

/**
 * The smallest network that needs memory, small enough to follow by hand like tutorial 1: read four
 * bits one at a time and, at each step, say the bit of the step before (the first step has no step
 * before: 0). A plain RNN of 2 tanh units carries the last bit in its state; a dense layer and a
 * sigmoid read it out. Every one of the 16 sequences of four bits is a training example, trained
 * full-batch with half squared error and gradient descent as in tutorial 1.
 *
 * <pre>
 * x = [1, 0, 1, 1]  ->  y = [0, 1, 0, 1]
 * </pre>
 *
 * <p>{@code nerve trace --example echo} unrolls it: each time step's input, the previous state, the
 * new state, and backpropagation through time carrying the error from step t back to t - 1.
 */
public final class EchoBits {
  private EchoBits() {}

  /** Time steps per sequence. */
  public static final int STEPS = 4;

  /** Hidden units. */
  public static final int UNITS = 2;

  /** The 16 sequences of four bits {@code [16, 4, 1]} and their echoes one step late. */
  public static Dataset data() {
    int n = 1 << STEPS;
    Tensor x = Tensor.zeros(n, STEPS, 1);
    Tensor y = Tensor.zeros(n, STEPS, 1);
    for (int s = 0; s < n; s++) {
      for (int t = 0; t < STEPS; t++) {
        x.data()[s * STEPS + t] = (s >> (STEPS - 1 - t)) & 1;
        y.data()[s * STEPS + t] = t == 0 ? 0 : (s >> (STEPS - t)) & 1;
      }
    }
    return new Dataset(x, y);
  }

  /**
   * RNN (1 input, 2 tanh units, every step) then dense 2 to 1 and a sigmoid at every step; half
   * squared error (summed over the 64 steps, as tutorial 1 sums), gradient descent with learning
   * rate 0.2, 1000 full-batch epochs, seed 1: every step right, loss about 0.0014.
   */
  public static ModelSpec spec() {
    return new ModelSpec(
        List.of(STEPS, 1),
        List.of(
            new RNN.Settings(new Recurrent.Common(UNITS, true, false, true, false), false),
            new Dense.Settings(1, true, Init.xavierUniform(), Init.zeros()),
            new NoSettings(Sigmoid.TYPE)),
        HalfSquaredError.NAME,
        0.2f,
        1000,
        Trainer.FULL_BATCH,
        1,
        "sgd");
  }
}

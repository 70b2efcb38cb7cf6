package dev.nerve.examples;

import dev.nerve.data.Dataset;
import dev.nerve.io.ModelSpec;
import dev.nerve.loss.SumSquaredError;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Init;
import dev.nerve.nn.NoSettings;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.Sigmoid;
import dev.nerve.optim.Sgd;
import dev.nerve.tensor.Tensor;
import dev.nerve.train.History;
import dev.nerve.train.Trainer;
import java.util.List;

/**
 * Tutorial 2, "How to build your own Neural Network from scratch in Python": a 3-4-1 sigmoid
 * network without biases, weights from {@code np.random.rand} (uniform [0, 1)), sum-of-squares
 * loss, {@code weights += d_weights} (SGD with learning rate 1 on that loss), 1500 full-batch
 * iterations, learning XOR of the first two inputs. Prints about {@code [[0.01] [0.97] [0.97]
 * [0.04]]}. As the tutorial's own network, it stalls near 0.5 for a few seeds.
 */
public final class Tutorial2 {
  /** The tutorial's iterations. */
  public static final int EPOCHS = 1500;

  private Tutorial2() {}

  /** {@code x = [[0,0,1],[0,1,1],[1,0,1],[1,1,1]]}, {@code y = [[0],[1],[1],[0]]}. */
  public static Dataset data() {
    Tensor x = Tensor.of(new float[][] {{0, 0, 1}, {0, 1, 1}, {1, 0, 1}, {1, 1, 1}});
    Tensor y = Tensor.of(new float[][] {{0}, {1}, {1}, {0}});
    return new Dataset(x, y);
  }

  /**
   * The network and its settings as a {@link ModelSpec}, the one definition both this class and
   * {@code nerve train --example tutorial2} use: 3-4-1 sigmoid without biases, weights from [0, 1),
   * sum of squares, learning rate 1, 1500 full-batch iterations, seed 1.
   */
  public static ModelSpec spec() {
    return new ModelSpec(
        3,
        List.of(
            new Dense.Settings(4, false, Init.uniform(0, 1), Init.zeros()),
            new NoSettings(Sigmoid.TYPE),
            new Dense.Settings(1, false, Init.uniform(0, 1), Init.zeros()),
            new NoSettings(Sigmoid.TYPE)),
        SumSquaredError.NAME,
        1f,
        EPOCHS,
        Trainer.FULL_BATCH,
        1);
  }

  /** The 3-4-1 sigmoid network without biases, initialised uniformly in [0, 1). */
  public static Sequential network() {
    return spec().build();
  }

  /** A trainer with the tutorial's settings: sum of squares, SGD 1.0, full batch, 1500 epochs. */
  public static Trainer.Builder trainer(Sequential net) {
    return Trainer.builder(net, new SumSquaredError(), new Sgd(net.parameters(), 1f))
        .epochs(EPOCHS)
        .batchSize(Trainer.FULL_BATCH);
  }

  /** Trains from seed 1 and prints the final outputs. */
  public static void main(String[] args) {
    Dataset data = data();
    Sequential net = network().initialize(1);
    History h = trainer(net).build().fit(data);
    System.out.println("final loss " + h.finalLoss());
    System.out.println(Numpy.format(net.predict(data.x())));
  }
}

package dev.nerve.examples;

import dev.nerve.data.Dataset;
import dev.nerve.io.ModelSpec;
import dev.nerve.loss.HalfSquaredError;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Init;
import dev.nerve.nn.NoSettings;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.Sigmoid;
import dev.nerve.optim.Sgd;
import dev.nerve.tensor.Tensor;
import dev.nerve.train.History;
import dev.nerve.train.Trainer;
import dev.nerve.train.TrainingListener;
import java.util.List;

/**
 * Tutorial 1, "Understanding and coding Neural Networks From Scratch": a 4-3-1 network with sigmoid
 * activations and biases, weights and biases drawn uniformly from [0, 1), error {@code E = y -
 * output} (the gradient of 1/2 (y - t)^2), learning rate 0.1, 5000 full-batch epochs. Run it and it
 * prints the falling loss and the final outputs, about {@code [[0.98] [0.97] [0.04]]} as in the
 * tutorial.
 *
 * <p>The tutorial's steps map onto Nerve like this: step 2 {@code hidden_layer_input} is the output
 * of layer 0 ({@code Dense}), step 3 {@code hiddenlayer_activations} of layer 1 ({@code Sigmoid}),
 * step 4 {@code output} of layer 3; steps 5-9 ({@code E}, the slopes, {@code d_output}, {@code
 * Error_at_hidden_layer}, {@code d_hiddenlayer}) are the backward pass of the loss and the layers;
 * steps 10-11 are {@code Sgd.step()}.
 */
public final class Tutorial1 {
  /** The tutorial's epochs. */
  public static final int EPOCHS = 5000;

  /** The tutorial's learning rate. */
  public static final float LEARNING_RATE = 0.1f;

  private Tutorial1() {}

  /** {@code X = [[1,0,1,0],[1,0,1,1],[0,1,0,1]]}, {@code y = [[1],[1],[0]]}. */
  public static Dataset data() {
    Tensor x = Tensor.of(new float[][] {{1, 0, 1, 0}, {1, 0, 1, 1}, {0, 1, 0, 1}});
    Tensor y = Tensor.of(new float[][] {{1}, {1}, {0}});
    return new Dataset(x, y);
  }

  /**
   * The network and its settings as a {@link ModelSpec}, the one definition both this class and
   * {@code nerve train} use: 4-3-1 sigmoid with biases drawn from [0, 1), half squared error,
   * learning rate 0.1, 5000 full-batch epochs, seed 0.
   */
  public static ModelSpec spec() {
    return new ModelSpec(
        4,
        List.of(
            new Dense.Settings(3, true, Init.uniform(0, 1), Init.uniform(0, 1)),
            new NoSettings(Sigmoid.TYPE),
            new Dense.Settings(1, true, Init.uniform(0, 1), Init.uniform(0, 1)),
            new NoSettings(Sigmoid.TYPE)),
        HalfSquaredError.NAME,
        LEARNING_RATE,
        EPOCHS,
        Trainer.FULL_BATCH,
        0);
  }

  /**
   * The given starting weights of the walkthrough ({@code nerve trace}): the first draws of the
   * tutorial's own code, {@code np.random.uniform} after {@code np.random.seed(0)}, for {@code wh},
   * {@code bh}, {@code wout} and {@code bout} in that order, rounded to float. A numpy run from
   * these weights ({@code reference/tutorial1_trace_numpy.py} in the tests) shows the same numbers
   * at every step as Nerve's trace.
   */
  public static Sequential givenWeights(Sequential net) {
    float[][] values = {
      {
        0.54881352f, 0.71518934f, 0.60276335f, 0.54488319f, 0.42365479f, 0.64589411f,
        0.43758720f, 0.89177299f, 0.96366274f, 0.38344151f, 0.79172504f, 0.52889490f
      },
      {0.56804454f, 0.92559665f, 0.071036056f},
      {0.087129302f, 0.020218397f, 0.83261985f},
      {0.77815676f}
    };
    var ps = net.parameters();
    if (ps.size() != values.length) {
      throw new IllegalArgumentException("the given weights are for tutorial 1's 4-3-1 network");
    }
    for (int i = 0; i < values.length; i++) {
      float[] v = ps.get(i).value().data();
      if (v.length != values[i].length) {
        throw new IllegalArgumentException(
            "the given weights are for tutorial 1's 4-3-1 network, not " + ps.get(i));
      }
      System.arraycopy(values[i], 0, v, 0, v.length);
    }
    net.markInitialized();
    return net;
  }

  /** The 4-3-1 sigmoid network with biases, initialised uniformly in [0, 1), not yet drawn. */
  public static Sequential network() {
    return spec().build();
  }

  /**
   * A trainer with the tutorial's settings: half squared error, SGD 0.1, full batch, 5000 epochs.
   */
  public static Trainer.Builder trainer(Sequential net) {
    return Trainer.builder(net, new HalfSquaredError(), new Sgd(net.parameters(), LEARNING_RATE))
        .epochs(EPOCHS)
        .batchSize(Trainer.FULL_BATCH);
  }

  /** Trains from seed 0 and prints the loss every 500 epochs and the final outputs. */
  public static void main(String[] args) {
    Dataset data = data();
    Sequential net = network().initialize(0);
    History h =
        trainer(net)
            .listener(
                new TrainingListener() {
                  @Override
                  public void onEpochEnd(EpochEnd e) {
                    if (e.epoch() == 1 || e.epoch() % 500 == 0) {
                      System.out.printf("epoch %4d  loss %.6f%n", e.epoch(), e.loss());
                    }
                  }
                })
            .build()
            .fit(data);
    System.out.println("final loss " + h.finalLoss());
    System.out.println(Numpy.format(net.predict(data.x())));
  }
}

package dev.nerve.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.Dataset;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.BatchNorm;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Dropout;
import dev.nerve.nn.Parameter;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Adam;
import dev.nerve.optim.LearningRateSchedule;
import dev.nerve.optim.Optimizer;
import dev.nerve.optim.Sgd;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A run stopped after any epoch and continued from its {@link TrainingState} (and its parameters
 * and buffers) ends with the same bits as a run never stopped: shuffling, dropout, batch norm,
 * Adam's and momentum's state, a reduce-on-plateau schedule, validation and early stopping that
 * restores the best weights.
 */
class ResumeTest {
  private static final int EPOCHS = 7;

  private static Sequential net() {
    return new Sequential(
            new Dense(6, 12), new BatchNorm(12), new ReLU(), new Dropout(0.3f), new Dense(12, 3))
        .initialize(4);
  }

  private static Dataset data(long seed) {
    Rng r = new Rng(seed);
    Tensor x = Tensor.uniform(r, -1, 1, 50, 6);
    Tensor y = Tensor.zeros(50, 3);
    for (int i = 0; i < 50; i++) {
      y.setInPlace(1, i, r.nextInt(3));
    }
    return new Dataset(x, y);
  }

  private static Trainer.Builder trainer(Sequential n, Optimizer o, int epochs) {
    return Trainer.builder(n, new SoftmaxCrossEntropy(), o)
        .epochs(epochs)
        .batchSize(8)
        .shuffle(3)
        .validation(data(9))
        .learningRateSchedule(LearningRateSchedule.reduceOnPlateau(0.5f, 0, 1e-5f))
        .earlyStopping(new EarlyStopping(EarlyStopping.Monitor.VALIDATION_LOSS, 100, 0, true));
  }

  private static List<float[]> values(Sequential n) {
    List<float[]> v = new ArrayList<>();
    for (Parameter p : n.parameters()) {
      v.add(p.value().data().clone());
    }
    n.layers().forEach(l -> l.buffers().forEach(b -> v.add(b.value().data().clone())));
    return v;
  }

  private static void load(Sequential n, List<float[]> v) {
    List<Tensor> all = new ArrayList<>();
    n.parameters().forEach(p -> all.add(p.value()));
    n.layers().forEach(l -> l.buffers().forEach(b -> all.add(b.value())));
    for (int i = 0; i < all.size(); i++) {
      System.arraycopy(v.get(i), 0, all.get(i).data(), 0, v.get(i).length);
    }
  }

  private void resumesToTheSameBits(Function<Sequential, Optimizer> optimizer) {
    Sequential straight = net();
    History whole = trainer(straight, optimizer.apply(straight), EPOCHS).build().fit(data(1));
    for (int stop : new int[] {1, 3, 6}) {
      Sequential first = net();
      TrainingState[] saved = new TrainingState[1];
      List<List<float[]>> params = new ArrayList<>();
      trainer(first, optimizer.apply(first), EPOCHS)
          .listener(
              new TrainingListener() {
                @Override
                public boolean wantsState(int epoch) {
                  return epoch == stop;
                }

                @Override
                public void onState(TrainingState state) {
                  saved[0] = state;
                  params.add(values(first));
                }
              })
          .build()
          .fit(data(1));
      Sequential again = net();
      load(again, params.get(0));
      History rest =
          trainer(again, optimizer.apply(again), EPOCHS).resumeFrom(saved[0]).build().fit(data(1));
      List<float[]> a = values(straight);
      List<float[]> b = values(again);
      for (int i = 0; i < a.size(); i++) {
        assertArrayEquals(a.get(i), b.get(i), "stopped after epoch " + stop + ", array " + i);
      }
      assertArrayEquals(whole.iterationLosses(), rest.iterationLosses());
      assertArrayEquals(whole.validationLosses(), rest.validationLosses());
      assertArrayEquals(whole.learningRates(), rest.learningRates());
      assertEquals(whole.bestEpoch(), rest.bestEpoch());
    }
  }

  @Test
  void adamResumesToTheSameBits() {
    resumesToTheSameBits(n -> new Adam(n.parameters(), 0.01f));
  }

  @Test
  void momentumResumesToTheSameBits() {
    resumesToTheSameBits(n -> new Sgd(n.parameters(), 0.05f, 0.9f, true));
  }

  @Test
  void aStateForOtherDataOrSettingsIsRefused() {
    Sequential n = net();
    TrainingState[] saved = new TrainingState[1];
    trainer(n, new Adam(n.parameters(), 0.01f), 2)
        .listener(
            new TrainingListener() {
              @Override
              public boolean wantsState(int epoch) {
                return true;
              }

              @Override
              public void onState(TrainingState state) {
                saved[0] = state;
              }
            })
        .build()
        .fit(data(1));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                trainer(n, new Adam(n.parameters(), 0.01f), 4)
                    .batchSize(5)
                    .resumeFrom(saved[0])
                    .build()
                    .fit(data(1)));
    assertTrue(e.getMessage().contains("batches of 8"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                trainer(n, new Sgd(n.parameters(), 0.1f), 4)
                    .resumeFrom(saved[0])
                    .build()
                    .fit(data(1)));
    assertTrue(e.getMessage().contains("state arrays"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                trainer(n, new Adam(n.parameters(), 0.01f), 1)
                    .resumeFrom(saved[0])
                    .build()
                    .fit(data(1)));
    assertTrue(e.getMessage().contains("more than the 1 asked for"), e.getMessage());
    assertEquals(2, saved[0].epochsDone());
    assertEquals(14, saved[0].iteration(), "7 batches of 8 in 50 examples, twice");
  }
}

package dev.nerve.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.Dataset;
import dev.nerve.io.Checkpoints;
import dev.nerve.io.ModelFile;
import dev.nerve.io.ModelSpec;
import dev.nerve.loss.MeanSquaredError;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Sgd;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation every epoch, early stopping with restored weights, and checkpoints. */
class EarlyStoppingTest {
  @TempDir Path dir;

  /** y = 2x on training data; the validation set says y = -2x, so it only gets worse. */
  private static Dataset line(float slope, long seed) {
    Tensor x = Tensor.uniform(new Rng(seed), -1, 1, 20, 1);
    return new Dataset(x, x.scale(slope));
  }

  private static Sequential net() {
    return new Sequential(new Dense(1, 1)).initialize(3);
  }

  @Test
  void validationIsEvaluatedEveryEpoch() {
    Sequential n = net();
    List<TrainingListener.EpochEnd> seen = new ArrayList<>();
    History h =
        Trainer.builder(n, new MeanSquaredError(), new Sgd(n.parameters(), 0.1f))
            .epochs(4)
            .batchSize(5)
            .validation(line(2, 9))
            .listener(
                new TrainingListener() {
                  @Override
                  public void onEpochEnd(EpochEnd e) {
                    seen.add(e);
                  }
                })
            .build()
            .fit(line(2, 1));
    assertEquals(4, h.validationLosses().length);
    assertEquals(4, seen.size());
    for (int i = 0; i < 4; i++) {
      assertEquals(h.validationLosses()[i], seen.get(i).validationLoss());
    }
    // After the last epoch, the validation loss is the evaluation of the final network.
    assertEquals(
        Evaluation.of(n, new MeanSquaredError(), line(2, 9)).loss(), h.validationLosses()[3], 0);
    assertTrue(h.validationLosses()[3] < h.validationLosses()[0]);
    assertTrue(Double.isNaN(h.trainAccuracies()[0]), "regression has no accuracy");
    assertEquals(0, h.stoppedEarlyAt());
  }

  @Test
  void stopsAfterPatienceAndRestoresTheBestWeights() {
    Sequential n = net();
    Sequential bestCopy = net();
    List<float[]> weightsPerEpoch = new ArrayList<>();
    History h =
        Trainer.builder(n, new MeanSquaredError(), new Sgd(n.parameters(), 0.1f))
            .epochs(50)
            .batchSize(5)
            .validation(line(-2, 9))
            .earlyStopping(new EarlyStopping(EarlyStopping.Monitor.VALIDATION_LOSS, 2, 0, true))
            .listener(
                new TrainingListener() {
                  @Override
                  public void onEpochEnd(EpochEnd e) {
                    weightsPerEpoch.add(n.parameters().get(0).value().data().clone());
                  }
                })
            .build()
            .fit(line(2, 1));
    double[] val = h.validationLosses();
    int best = 0;
    for (int i = 1; i < val.length; i++) {
      if (val[i] < val[best]) {
        best = i;
      }
    }
    assertEquals(best + 1 + 2, h.stoppedEarlyAt(), "stops two epochs after the best");
    assertEquals(h.stoppedEarlyAt(), h.epochCount());
    assertEquals(best + 1, h.bestEpoch());
    assertArrayEquals(weightsPerEpoch.get(best), n.parameters().get(0).value().data());
    assertTrue(bestCopy != n);
  }

  @Test
  void withoutRestoringTheLastWeightsStay() {
    Sequential n = net();
    List<float[]> last = new ArrayList<>();
    History h =
        Trainer.builder(n, new MeanSquaredError(), new Sgd(n.parameters(), 0.1f))
            .epochs(50)
            .validation(line(-2, 9))
            .earlyStopping(new EarlyStopping(EarlyStopping.Monitor.VALIDATION_LOSS, 1, 0, false))
            .listener(
                new TrainingListener() {
                  @Override
                  public void onEpochEnd(EpochEnd e) {
                    last.add(n.parameters().get(0).value().data().clone());
                  }
                })
            .build()
            .fit(line(2, 1));
    assertEquals(0, h.bestEpoch());
    assertArrayEquals(last.get(last.size() - 1), n.parameters().get(0).value().data());
  }

  @Test
  void monitorsNeedWhatTheyWatch() {
    Sequential n = net();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Trainer.builder(n, new MeanSquaredError(), new Sgd(n.parameters(), 0.1f))
                    .earlyStopping(
                        new EarlyStopping(EarlyStopping.Monitor.VALIDATION_LOSS, 2, 0, true))
                    .build());
    assertEquals(
        "early stopping on val-loss needs a validation set (Builder.validation)", e.getMessage());
    IllegalStateException s =
        assertThrows(
            IllegalStateException.class,
            () ->
                Trainer.builder(n, new MeanSquaredError(), new Sgd(n.parameters(), 0.1f))
                    .earlyStopping(new EarlyStopping(EarlyStopping.Monitor.ACCURACY, 2, 0, true))
                    .build()
                    .fit(line(2, 1)));
    assertTrue(s.getMessage().contains("accuracy needs classes"), s.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new EarlyStopping(EarlyStopping.Monitor.LOSS, 0, 0, true));
    assertThrows(IllegalArgumentException.class, () -> EarlyStopping.Monitor.of("f1"));
  }

  @Test
  void trainingAccuracyCountsTheEpochsClassifications() {
    Tensor x = Tensor.of(new float[][] {{1}, {-1}, {2}, {-2}});
    Tensor y = Tensor.of(new float[][] {{1}, {0}, {1}, {0}});
    Sequential n = new Sequential(new Dense(1, 1));
    n.initialize(1);
    n.parameters().get(0).value().data()[0] = 1f;
    n.parameters().get(1).value().data()[0] = 0.4f;
    // Outputs 1.4, -0.6, 2.4, -1.6 before any update: all on the right side of 0.5 but the first
    // two... 1.4 > 0.5 (1, right), -0.6 < 0.5 (0, right), 2.4 right, -1.6 right.
    History h =
        Trainer.builder(n, new MeanSquaredError(), new Sgd(n.parameters(), 1e-6f))
            .epochs(1)
            .batchSize(Trainer.FULL_BATCH)
            .build()
            .fit(x, y);
    assertEquals(1.0, h.trainAccuracies()[0]);
  }

  @Test
  void checkpointsAreWrittenEveryNEpochsKeepingTheLastK() throws Exception {
    Sequential n = net();
    ModelSpec spec = ModelSpec.describe(n, "mse", "sgd", 0.1f, 7, 5, 3);
    Trainer.builder(n, new MeanSquaredError(), new Sgd(n.parameters(), 0.1f))
        .epochs(7)
        .listener(
            new Checkpoints(
                dir, 2, 2, spec, n, dev.nerve.data.Normalizer.none(), Map.of("target", "y")))
        .build()
        .fit(line(2, 1));
    try (var files = Files.list(dir)) {
      assertEquals(
          List.of("epoch-0004", "epoch-0006"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    ModelFile six = ModelFile.read(dir.resolve("epoch-0006").resolve(Checkpoints.MODEL));
    assertEquals(6, ((Number) six.metadata().get("epoch")).intValue());
    assertEquals("y", six.metadata().get("target"));
  }
}

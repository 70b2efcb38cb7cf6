package dev.nerve.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nerve.data.Dataset;
import dev.nerve.loss.MeanSquaredError;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Sequential;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Tensor;
import dev.nerve.testing.Reference;
import dev.nerve.train.History;
import dev.nerve.train.Trainer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Learning-rate schedules against PyTorch's schedulers (fixture and script: {@code
 * reference/schedules_torch.py}), and as the trainer applies them.
 */
class ScheduleTest {
  private static void compare(String key, LearningRateSchedule s, int epochs) throws Exception {
    Map<?, ?> ref = Reference.json("schedules_torch.json");
    double[] want = Reference.flat(ref.get(key));
    double[] losses = Reference.flat(ref.get("losses"));
    for (int e = 1; e <= epochs; e++) {
      double previous = e == 1 ? Double.NaN : losses[e - 2];
      assertEquals(want[e - 1], s.rate(e, 0.1f, previous), 1e-7, key + " epoch " + e);
    }
  }

  @Test
  void stepExponentialAndPlateauMatchPyTorch() throws Exception {
    compare("step", LearningRateSchedule.step(3, 0.5f), 12);
    compare("exponential", LearningRateSchedule.exponential(0.9f), 12);
    compare("plateau", LearningRateSchedule.reduceOnPlateau(0.5f, 1, 0f), 12);
  }

  @Test
  void cosineMatchesPyTorchOverItsPeriodThenStaysAtTheMinimum() throws Exception {
    LearningRateSchedule s = LearningRateSchedule.cosine(5, 0.01f);
    compare("cosine", s, 6);
    // PyTorch's CosineAnnealingLR climbs back after the period; Nerve's stays at the minimum.
    assertEquals(0.01f, s.rate(9, 0.1f, Double.NaN), 1e-9);
  }

  @Test
  void warmupRisesLinearlyThenHandsOver() {
    LearningRateSchedule s = LearningRateSchedule.warmup(3, LearningRateSchedule.step(2, 0.5f));
    float[] got = new float[7];
    for (int e = 1; e <= 7; e++) {
      got[e - 1] = s.rate(e, 0.4f, Double.NaN);
    }
    assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.4f, 0.2f, 0.2f}, got, 1e-7f);
  }

  @Test
  void theTrainerSetsEachEpochsRateAndRecordsIt() {
    Sequential net = new Sequential(new Dense(1, 1)).initialize(1);
    Tensor x = Tensor.uniform(new Rng(2), -1, 1, 16, 1);
    History h =
        Trainer.builder(net, new MeanSquaredError(), new Sgd(net.parameters(), 0.2f))
            .epochs(5)
            .batchSize(4)
            .learningRateSchedule(LearningRateSchedule.exponential(0.5f))
            .build()
            .fit(new Dataset(x, x.scale(3)));
    assertArrayEquals(new double[] {0.2, 0.1, 0.05, 0.025, 0.0125}, h.learningRates(), 1e-8);
  }

  @Test
  void clippingInTheTrainerBoundsEveryStep() {
    Sequential net = new Sequential(new Dense(1, 1)).initialize(1);
    float before = net.parameters().get(0).value().data()[0];
    Tensor x = Tensor.full(100f, 1, 1);
    Trainer.builder(net, new MeanSquaredError(), new Sgd(net.parameters(), 1f))
        .epochs(1)
        .clipGradientValue(0.25f)
        .build()
        .fit(new Dataset(x, x.scale(-50)));
    // An unclipped gradient here is in the hundreds of thousands; clipped, the step is 0.25.
    assertEquals(0.25f, Math.abs(net.parameters().get(0).value().data()[0] - before), 1e-6f);
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.step(0, 0.5f));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.exponential(1.5f));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(0, 0f));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.warmup(0, null));
    assertThrows(
        IllegalArgumentException.class, () -> LearningRateSchedule.reduceOnPlateau(1f, 1, 0f));
  }

  @Test
  void aScheduleSpecParsesBuildsAndDescribesInOnePlace() throws Exception {
    ScheduleSpec step = ScheduleSpec.of("step", null, 3, 0f, 2, null);
    assertEquals("step every 3 epochs by 0.1", step.describe(10));
    ScheduleSpec exp = ScheduleSpec.of("exponential", null, 10, 0f, 2, null);
    assertEquals("exponential by 0.95", exp.describe(10));
    ScheduleSpec cos = ScheduleSpec.of("cosine", null, 10, 1e-4f, 2, 3);
    assertEquals("warm-up 3 epochs, then cosine over 7 epochs to 1.0E-4", cos.describe(10));
    ScheduleSpec plateau = ScheduleSpec.of("plateau", 0.5f, 10, 0.001f, 4, null);
    assertEquals("plateau by 0.5, patience 4, minimum 0.001", plateau.describe(10));
    ScheduleSpec none = ScheduleSpec.of(null, null, 10, 0f, 2, null);
    assertEquals("constant", none.describe(10));
    assertEquals(true, none.isConstant());
    assertEquals(null, none.build(10));
    assertEquals(
        "warm-up 2 epochs, then constant", ScheduleSpec.of(null, null, 10, 0f, 2, 2).describe(5));
    // What it builds is the schedule its factory gives.
    LearningRateSchedule built = step.build(10);
    LearningRateSchedule direct = LearningRateSchedule.step(3, 0.1f);
    for (int e = 1; e <= 10; e++) {
      assertEquals(direct.rate(e, 0.1f, Double.NaN), built.rate(e, 0.1f, Double.NaN), 0f);
    }
    // Against PyTorch's schedulers, as the factories are: cosine over 5 epochs of a 5-epoch run.
    compare("cosine", ScheduleSpec.of("cosine", null, 10, 0.01f, 2, null).build(5), 6);
    compare("step", ScheduleSpec.of("step", 0.5f, 3, 0f, 2, null).build(12), 12);
    compare("plateau", ScheduleSpec.of("plateau", 0.5f, 10, 0f, 1, null).build(12), 12);
    assertThrows(
        IllegalArgumentException.class, () -> ScheduleSpec.of("linear", null, 10, 0f, 2, null));
    assertThrows(IllegalArgumentException.class, () -> ScheduleSpec.of(null, null, 10, 0f, 2, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> ScheduleSpec.of("step", 2f, 3, 0f, 2, null).build(10));
  }
}

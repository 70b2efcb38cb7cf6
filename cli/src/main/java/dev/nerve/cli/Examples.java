package dev.nerve.cli;

import dev.nerve.data.Dataset;
import dev.nerve.examples.Tutorial1;
import dev.nerve.examples.Tutorial2;
import dev.nerve.io.ModelSpec;
import dev.nerve.io.ModelSpec.LayerSpec;
import dev.nerve.loss.HalfSquaredError;
import dev.nerve.loss.SumSquaredError;
import dev.nerve.train.Trainer;
import java.util.List;

/** The built-in examples of {@code nerve train --example}: the two tutorials. */
enum Examples {
  /** Tutorial 1: 4-3-1 sigmoid with biases, half squared error, lr 0.1, 5000 epochs. */
  tutorial1(
      new ModelSpec(
          4,
          List.of(
              LayerSpec.dense(3, true, "uniform", "uniform"),
              LayerSpec.of("sigmoid"),
              LayerSpec.dense(1, true, "uniform", "uniform"),
              LayerSpec.of("sigmoid")),
          HalfSquaredError.NAME,
          Tutorial1.LEARNING_RATE,
          Tutorial1.EPOCHS,
          Trainer.FULL_BATCH,
          0),
      Tutorial1.data()),
  /** Tutorial 2: 3-4-1 sigmoid without biases, sum of squares, lr 1, 1500 iterations. */
  tutorial2(
      new ModelSpec(
          3,
          List.of(
              LayerSpec.dense(4, false, "uniform", "zeros"),
              LayerSpec.of("sigmoid"),
              LayerSpec.dense(1, false, "uniform", "zeros"),
              LayerSpec.of("sigmoid")),
          SumSquaredError.NAME,
          1f,
          Tutorial2.EPOCHS,
          Trainer.FULL_BATCH,
          1),
      Tutorial2.data());

  final ModelSpec spec;
  final Dataset data;

  Examples(ModelSpec spec, Dataset data) {
    this.spec = spec;
    this.data = data;
  }
}

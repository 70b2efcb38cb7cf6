package dev.nerve.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.loss.HalfSquaredError;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Init;
import dev.nerve.nn.Sequential;
import dev.nerve.nn.Sigmoid;
import dev.nerve.optim.Sgd;
import dev.nerve.tensor.Tensor;
import dev.nerve.train.History;
import dev.nerve.train.Trainer;
import dev.nerve.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's "Java API in five minutes" example, as written there, compiles and runs. */
class ReadmeExampleTest {
  @Test
  void theReadmeExampleWorksAsShown() {
    List<String> printed = new ArrayList<>();
    // --- as in README.md ---
    Tensor X = Tensor.of(new float[][] {{1, 0, 1, 0}, {1, 0, 1, 1}, {0, 1, 0, 1}}); // step 0
    Tensor y = Tensor.of(new float[][] {{1}, {1}, {0}});

    Sequential net =
        new Sequential( // step 1: wh, bh, wout, bout
                new Dense(4, 3, Init.uniform(0, 1), Init.uniform(0, 1)),
                new Sigmoid(),
                new Dense(3, 1, Init.uniform(0, 1), Init.uniform(0, 1)),
                new Sigmoid())
            .initialize(0);

    History history =
        Trainer.builder(net, new HalfSquaredError(), new Sgd(net.parameters(), 0.1f))
            .epochs(5000)
            .batchSize(Trainer.FULL_BATCH)
            .listener(
                new TrainingListener() {
                  @Override
                  public void onEpochEnd(EpochEnd e) {
                    if (e.epoch() % 1000 == 0) {
                      printed.add(e.epoch() + " " + e.loss());
                    }
                  }
                })
            .build()
            .fit(X, y);
    // --- end ---
    assertEquals(
        "[[0.97679], [0.96113], [0.051907]]",
        net.predict(X).toString(),
        "the output the README shows");
    assertEquals(5000, history.iterationLosses().length);
    assertEquals(5, printed.size());
    assertTrue(printed.get(4).startsWith("5000 0.0023"), printed.get(4));
  }
}

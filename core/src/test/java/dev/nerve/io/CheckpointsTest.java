package dev.nerve.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.Normalizer;
import dev.nerve.loss.MeanSquaredError;
import dev.nerve.nn.Dense;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Sgd;
import dev.nerve.tensor.Rng;
import dev.nerve.tensor.Tensor;
import dev.nerve.train.DivergenceException;
import dev.nerve.train.Trainer;
import dev.nerve.train.TrainingListener;
import dev.nerve.train.TrainingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint directories: what is listed, kept, replaced and cleaned, and what is never lost. */
class CheckpointsTest {
  @TempDir Path dir;

  private static Sequential net() {
    return new Sequential(new Dense(2, 1)).initialize(3);
  }

  private void train(Sequential n, int epochs, int every, int keep) {
    Tensor x = Tensor.uniform(new Rng(1), -1, 1, 8, 2);
    Tensor y = Tensor.uniform(new Rng(2), -1, 1, 8, 1);
    Trainer.builder(n, new MeanSquaredError(), new Sgd(n.parameters(), 0.1f))
        .epochs(epochs)
        .batchSize(4)
        .listener(
            new Checkpoints(
                dir,
                every,
                keep,
                ModelSpec.describe(n, "mse", "sgd", 0.1f, epochs, 4, 3),
                n,
                Normalizer.none(),
                Map.of()))
        .build()
        .fit(x, y);
  }

  private List<Integer> epochs() throws Exception {
    return Checkpoints.list(dir).stream().map(Checkpoints.Checkpoint::epoch).toList();
  }

  @Test
  void theNewestKAreKeptAndTheyLoadBack() throws Exception {
    Sequential n = net();
    train(n, 7, 2, 2);
    assertEquals(List.of(6, 4), epochs());
    Checkpoints.Loaded six = Checkpoints.latest(dir).read();
    assertEquals(6, six.state().epochsDone());
    assertEquals(6, ((Number) six.model().metadata().get("epoch")).intValue());
    Sequential other = new Sequential(new Dense(2, 1));
    six.copyInto(other);
    assertTrue(other.isInitialized());
    FormatException e =
        assertThrows(FormatException.class, () -> six.copyInto(new Sequential(new Dense(3, 1))));
    assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
  }

  @Test
  void halfWrittenAndForeignFilesNeverStopTrainingNorGetListed() throws Exception {
    Files.createDirectories(dir.resolve(".epoch-0003.12345"));
    Files.writeString(dir.resolve(".epoch-0003.12345").resolve(Checkpoints.MODEL), "half");
    Files.createDirectories(dir.resolve("epoch-0009"));
    Files.writeString(dir.resolve("epoch-0009").resolve("notes.txt"), "mine");
    Files.writeString(dir.resolve("epoch-0009").resolve(Checkpoints.MODEL), "old");
    Files.writeString(dir.resolve("epoch-0009").resolve(Checkpoints.STATE), "old");
    assertEquals(List.of(9), epochs(), "a complete-looking old checkpoint is listed");
    train(net(), 4, 1, 2);
    assertEquals(List.of(4, 3), epochs());
    assertFalse(Files.exists(dir.resolve(".epoch-0003.12345")), "the half-written one is gone");
    // The old run's epoch 9 was removed (its two files), but not the user's file beside them.
    assertEquals("mine", Files.readString(dir.resolve("epoch-0009").resolve("notes.txt")));
  }

  @Test
  void aNewRunReplacesAnOlderRunsLaterCheckpointsAsItGoes() throws Exception {
    train(net(), 6, 2, 5);
    assertEquals(List.of(6, 4, 2), epochs());
    train(net(), 2, 2, 5);
    assertEquals(List.of(2), epochs(), "the old run's epochs 4 and 6 are not this run's future");
  }

  @Test
  void namesUseAsciiDigitsInEveryLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("fa-IR"));
      assertEquals("epoch-0005", Checkpoints.dirName(5));
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void aNonFiniteUpdateIsNeverSavedOverGoodCheckpoints() throws Exception {
    Sequential n = new Sequential(new Dense(3, 1)).initialize(1);
    Tensor x = Tensor.full(1e3f, 4, 3);
    Tensor y = Tensor.full(-1e3f, 4, 1);
    TrainingState[] saved = new TrainingState[1];
    assertThrows(
        DivergenceException.class,
        () ->
            Trainer.builder(n, new MeanSquaredError(), new Sgd(n.parameters(), 1e36f))
                .epochs(1)
                .batchSize(Trainer.FULL_BATCH)
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
                .fit(x, y));
    assertNull(saved[0], "no state was handed out for the bad epoch");
  }
}

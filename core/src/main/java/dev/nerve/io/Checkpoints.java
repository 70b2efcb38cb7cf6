package dev.nerve.io;

import dev.nerve.data.Normalizer;
import dev.nerve.nn.Sequential;
import dev.nerve.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training listener that saves the model every N epochs as {@code epoch-0005.nerve} files in a
 * directory, each written atomically, keeping only the most recent few.
 *
 * <pre>{@code
 * Trainer.builder(net, loss, optimizer)
 *     .listener(new Checkpoints(Path.of("checkpoints"), 5, 3, spec, net, normalizer, Map.of()))
 * }</pre>
 *
 * Each checkpoint is a complete {@link ModelFile} whose metadata also records its {@code epoch}, so
 * {@code nerve predict} and {@code nerve evaluate} accept it as they accept any model.
 */
public final class Checkpoints implements TrainingListener {
  private final Path dir;
  private final int every;
  private final int keep;
  private final ModelSpec spec;
  private final Sequential model;
  private final Normalizer normalizer;
  private final Map<String, Object> metadata;
  private final Deque<Path> written = new ArrayDeque<>();

  /**
   * Saves {@code model} into {@code dir} after every {@code every}-th epoch, keeping the last
   * {@code keep} files written by this listener.
   *
   * @throws IllegalArgumentException if {@code every} or {@code keep} is below 1
   */
  public Checkpoints(
      Path dir,
      int every,
      int keep,
      ModelSpec spec,
      Sequential model,
      Normalizer normalizer,
      Map<String, Object> metadata) {
    if (every < 1 || keep < 1) {
      throw new IllegalArgumentException(
          "checkpoint interval and count must be at least 1, got " + every + " and " + keep);
    }
    this.dir = dir;
    this.every = every;
    this.keep = keep;
    this.spec = spec;
    this.model = model;
    this.normalizer = normalizer;
    this.metadata = metadata;
  }

  /** The file name of the checkpoint after {@code epoch}. */
  public static String fileName(int epoch) {
    return String.format("epoch-%04d.nerve", epoch);
  }

  @Override
  public void onEpochEnd(EpochEnd e) {
    if (e.epoch() % every != 0) {
      return;
    }
    Map<String, Object> meta = new LinkedHashMap<>(metadata);
    meta.put("epoch", e.epoch());
    Path file = dir.resolve(fileName(e.epoch()));
    try {
      Files.createDirectories(dir);
      new ModelFile(spec, model, normalizer, meta).write(file);
      written.addLast(file);
      while (written.size() > keep) {
        Files.deleteIfExists(written.removeFirst());
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(
          "cannot write checkpoint " + file + ": " + ex.getMessage(), ex);
    }
  }
}

package dev.nerve.io;

import dev.nerve.data.Normalizer;
import dev.nerve.nn.Layer;
import dev.nerve.nn.Sequential;
import dev.nerve.train.TrainingListener;
import dev.nerve.train.TrainingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A training listener that saves a resumable checkpoint every N epochs: a directory {@code
 * epoch-0005/} holding the complete model ({@code model.nerve}, a {@link ModelFile} that {@code
 * nerve predict} and {@code nerve evaluate} accept) and the rest of the run's state ({@code
 * state.bin}, a {@link TrainingStateFile}: optimiser, generators, position, history). It keeps the
 * newest few and deletes older ones, and those of an earlier run past the epoch just written (a new
 * run in the same directory replaces the old one as it goes, never before it has a checkpoint of
 * its own).
 *
 * <pre>{@code
 * Trainer.builder(net, loss, optimizer)
 *     .listener(new Checkpoints(Path.of("checkpoints"), 5, 3, spec, net, normalizer, Map.of()))
 * }</pre>
 *
 * <p>A checkpoint is written into a hidden temporary directory, each file forced to disk, and then
 * renamed to its final name in one step, so a crash at any moment leaves either a whole checkpoint
 * or none: {@link #list} never sees a half-written one. Resume with {@link #latest(Path)} and
 * {@link dev.nerve.train.Trainer.Builder#resumeFrom}.
 */
public final class Checkpoints implements TrainingListener {
  /** The model file inside a checkpoint directory. */
  public static final String MODEL = "model.nerve";

  /** The training state file inside a checkpoint directory. */
  public static final String STATE = "state.bin";

  private static final Pattern NAME = Pattern.compile("epoch-(\\d{4,9})");

  private final Path dir;
  private final int every;
  private final int keep;
  private final ModelSpec spec;
  private final Sequential model;
  private final Normalizer normalizer;
  private final Map<String, Object> metadata;

  /**
   * Saves into {@code dir} after every {@code every}-th epoch, keeping the newest {@code keep}
   * checkpoints in it.
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

  /**
   * One checkpoint on disk.
   *
   * @param epoch the epochs it completes
   * @param dir its directory
   */
  public record Checkpoint(int epoch, Path dir) {
    /**
     * Reads the model and the training state.
     *
     * @throws IOException if either cannot be read, or is damaged ({@link FormatException})
     */
    public Loaded read() throws IOException {
      return new Loaded(ModelFile.read(model()), TrainingStateFile.read(state()));
    }

    /** The model file. */
    public Path model() {
      return dir.resolve(MODEL);
    }

    /** The training state file. */
    public Path state() {
      return dir.resolve(STATE);
    }
  }

  /**
   * A checkpoint read back: resume with {@code loaded.copyInto(net)} and {@code
   * Trainer.builder(...).resumeFrom(loaded.state())}.
   *
   * @param model the saved model file (network, weights, buffers, metadata)
   * @param state the rest of the run
   */
  public record Loaded(ModelFile model, TrainingState state) {
    /**
     * Copies the saved parameters and buffers (BatchNorm statistics) into {@code net}, which must
     * have the same layers.
     *
     * @throws FormatException if the saved values do not fit {@code net}, naming the first that
     *     does not
     */
    public void copyInto(Sequential net) throws FormatException {
      List<Layer.Saved> from = model.model().saved();
      List<Layer.Saved> to = net.saved();
      if (from.size() != to.size()) {
        throw new FormatException(
            "the checkpoint holds " + from.size() + " arrays, the network " + to.size());
      }
      for (int i = 0; i < from.size(); i++) {
        if (!from.get(i).value().shape().equals(to.get(i).value().shape())) {
          throw new FormatException(
              "the checkpoint's "
                  + from.get(i).name()
                  + " "
                  + from.get(i).value().shape()
                  + " does not fit "
                  + to.get(i).value().shape());
        }
      }
      for (int i = 0; i < from.size(); i++) {
        to.get(i).value().copyFromInPlace(from.get(i).value());
      }
      net.markInitialized();
    }
  }

  /** The directory name of the checkpoint after {@code epoch}. */
  public static String dirName(int epoch) {
    return String.format(java.util.Locale.ROOT, "epoch-%04d", epoch);
  }

  /**
   * The complete checkpoints in {@code dir}, newest first (none if it does not exist). Hidden
   * temporary directories of an interrupted write are not listed.
   */
  public static List<Checkpoint> list(Path dir) throws IOException {
    List<Checkpoint> found = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return found;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (m.matches()
            && Files.isRegularFile(p.resolve(MODEL))
            && Files.isRegularFile(p.resolve(STATE))) {
          found.add(new Checkpoint(Integer.parseInt(m.group(1)), p));
        }
      }
    }
    found.sort(Comparator.comparingInt(Checkpoint::epoch).reversed());
    return found;
  }

  /** The newest complete checkpoint in {@code dir}, or null if there is none. */
  public static Checkpoint latest(Path dir) throws IOException {
    List<Checkpoint> all = list(dir);
    return all.isEmpty() ? null : all.get(0);
  }

  @Override
  public boolean wantsState(int epoch) {
    return epoch % every == 0;
  }

  @Override
  public void onState(TrainingState state) {
    try {
      write(state);
    } catch (IOException | IllegalArgumentException ex) {
      throw new UncheckedIOException(
          "cannot write checkpoint in " + dir + ": " + ex.getMessage(),
          ex instanceof IOException io ? io : new IOException(ex.getMessage(), ex));
    }
  }

  private void write(TrainingState state) throws IOException {
    Files.createDirectories(dir);
    removeInterruptedWrites();
    String name = dirName(state.epochsDone());
    Path target = dir.resolve(name);
    Path tmp = Files.createTempDirectory(dir, "." + name + ".");
    if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
      // Temporary directories are created owner-only; a checkpoint is as readable as a model.
      Files.setPosixFilePermissions(
          tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    try {
      Map<String, Object> meta = new LinkedHashMap<>(metadata);
      meta.put("epoch", state.epochsDone());
      new ModelFile(spec, model, normalizer, meta).write(tmp.resolve(MODEL));
      TrainingStateFile.write(state, tmp.resolve(STATE));
      forceDirectory(tmp);
      Path old = null;
      if (Files.exists(target)) {
        // The same epoch again (a new run in an old directory): set the old one aside first,
        // so that a crash at any point still leaves a whole checkpoint under some name.
        old = Files.createTempDirectory(dir, "." + name + ".");
        Files.delete(old);
        move(target, old);
      }
      move(tmp, target);
      forceDirectory(dir);
      if (old != null) {
        deleteCheckpoint(old);
      }
    } finally {
      if (Files.exists(tmp)) {
        deleteCheckpoint(tmp);
      }
    }
    // Checkpoints past this epoch belong to an older run this one replaces (a resumed run
    // starts from the newest, so it has none); then only the newest few are kept.
    List<Checkpoint> all = list(dir);
    int kept = 0;
    for (Checkpoint c : all) {
      if (c.epoch() > state.epochsDone() || ++kept > keep) {
        deleteCheckpoint(c.dir());
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  /** Deletes the temporary directories a killed run left half-written (never read anyway). */
  private void removeInterruptedWrites() throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (Files.isDirectory(p) && p.getFileName().toString().matches("\\.epoch-\\d+\\..+")) {
          deleteCheckpoint(p);
        }
      }
    }
  }

  /**
   * Deletes a checkpoint directory: our two files (and their temporaries), then the directory if
   * nothing else is in it. Best effort: a file of someone else's in it, or a failure to delete,
   * leaves it there rather than stop the training that is writing checkpoints.
   */
  private static void deleteCheckpoint(Path d) {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.equals(MODEL) || n.equals(STATE) || n.endsWith(".tmp")) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(d);
    } catch (IOException e) {
      // left in place; list() ignores a directory missing either file
    }
  }

  /** Forces a directory's entries to disk, so a rename survives a power cut (where supported). */
  private static void forceDirectory(Path d) {
    try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some systems cannot open a directory; the rename is still atomic there.
    }
  }
}

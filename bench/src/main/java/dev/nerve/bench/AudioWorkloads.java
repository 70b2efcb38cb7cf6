package dev.nerve.bench;

import dev.nerve.audio.SpokenDigits;
import dev.nerve.data.Dataset;
import dev.nerve.data.Normalizer;
import dev.nerve.examples.SpokenDigitNets;
import dev.nerve.io.ModelSpec;
import dev.nerve.loss.Loss;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Optimizer;
import dev.nerve.tensor.Tensor;
import dev.nerve.tensor.kernel.Parallel;
import dev.nerve.train.Evaluation;
import dev.nerve.train.Trainer;
import dev.nerve.train.TrainingListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The spoken-digit examples as benchmark workloads, exactly as {@code nerve train --example
 * spoken-digits} (and {@code -transformer}) run them, on features exported once (synthesised,
 * extracted and standardised as the CLI does) so that {@code bench/peers/torch_audio.py} trains
 * PyTorch on the very same numbers: {@code DIR/{train,test}_x.f32} (little-endian float32, {@code
 * [n, 40, 101]}), {@code DIR/{train,test}_y.u8} (digit labels) and {@code DIR/digits.json} (sizes).
 */
final class AudioWorkloads {
  private AudioWorkloads() {}

  /** Synthesises the set into {@code dir/wav} if needed and writes its features. */
  static void export(Path dir) throws IOException {
    Path wav = dir.resolve("wav");
    if (!Files.exists(wav.resolve(SpokenDigits.MANIFEST))) {
      SpokenDigits.generate(wav, SpokenDigits.Options.defaults(), true);
    }
    List<SpokenDigits.Example> all =
        SpokenDigits.load(wav, SpokenDigitNets.FEATURES, Math.max(1, Parallel.threads()));
    Dataset train = SpokenDigits.dataset(SpokenDigits.split(all, SpokenDigits.TRAIN), false);
    Dataset test = SpokenDigits.dataset(SpokenDigits.split(all, SpokenDigits.TEST), false);
    Normalizer n = Normalizer.fit(Normalizer.Kind.STANDARDIZE, train.features());
    write(dir, "train", train.normalized(n));
    write(dir, "test", test.normalized(n));
    Files.writeString(
        dir.resolve("digits.json"),
        String.format(
            Locale.ROOT,
            "{\"bands\": %d, \"frames\": %d, \"classes\": %d, \"train\": %d, \"test\": %d}%n",
            SpokenDigitNets.FEATURES.bands(),
            SpokenDigitNets.FEATURES.frames(),
            SpokenDigitNets.CLASSES.size(),
            train.size(),
            test.size()));
  }

  private static void write(Path dir, String part, Dataset d) throws IOException {
    float[] x = d.x().data();
    ByteBuffer b = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(x);
    Files.write(dir.resolve(part + "_x.f32"), b.array());
    int[] labels = d.y().argmaxRows();
    byte[] y = new byte[labels.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = (byte) labels[i];
    }
    Files.write(dir.resolve(part + "_y.u8"), y);
  }

  private static Dataset read(Path dir, String part, boolean framesFirst) throws IOException {
    int bands = SpokenDigitNets.FEATURES.bands();
    int frames = SpokenDigitNets.FEATURES.frames();
    byte[] y = Files.readAllBytes(dir.resolve(part + "_y.u8"));
    float[] x = new float[y.length * bands * frames];
    ByteBuffer.wrap(Files.readAllBytes(dir.resolve(part + "_x.f32")))
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(x);
    float[] in = x;
    if (framesFirst) {
      in = new float[x.length];
      for (int i = 0; i < y.length; i++) {
        for (int b = 0; b < bands; b++) {
          for (int f = 0; f < frames; f++) {
            in[(i * frames + f) * bands + b] = x[(i * bands + b) * frames + f];
          }
        }
      }
    }
    Tensor t = Tensor.zeros(y.length, 10);
    for (int i = 0; i < y.length; i++) {
      t.data()[i * 10 + y[i]] = 1f;
    }
    int[] shape =
        framesFirst ? new int[] {y.length, frames, bands} : new int[] {y.length, bands, frames};
    return new Dataset(Tensor.wrap(in, shape), t);
  }

  /** Trains one of the two networks on the exported features and prints its JSON line. */
  static void train(String which, int epochs, int threads, Path dir) throws IOException {
    Parallel.setThreads(threads);
    long t0 = System.nanoTime();
    boolean transformer = which.equals("digits-transformer");
    Dataset train = read(dir, "train", transformer);
    Dataset test = read(dir, "test", transformer);
    double load = (System.nanoTime() - t0) / 1e9;
    ModelSpec spec = transformer ? SpokenDigitNets.transformer() : SpokenDigitNets.conv();
    Sequential net = spec.build().initialize(spec.seed());
    Loss loss = Loss.named(spec.loss());
    List<Double> seconds = new ArrayList<>();
    Trainer.builder(
            net, loss, Optimizer.named(spec.optimizer(), net.parameters(), spec.learningRate()))
        .epochs(epochs)
        .batchSize(spec.batchSize())
        .shuffle(spec.seed())
        .listener(
            new TrainingListener() {
              @Override
              public void onEpochEnd(EpochEnd e) {
                seconds.add(e.nanos() / 1e9);
              }
            })
        .build()
        .fit(train);
    Evaluation e = Evaluation.of(net, loss, test);
    System.out.printf(
        Locale.ROOT,
        "{\"load_seconds\": %.4f, \"epoch_seconds\": [%s], \"test_accuracy\": %.5f,"
            + " \"examples_per_epoch\": %d}%n",
        load,
        seconds.stream()
            .map(s -> String.format(Locale.ROOT, "%.4f", s))
            .collect(Collectors.joining(", ")),
        e.accuracy(),
        train.size());
  }
}

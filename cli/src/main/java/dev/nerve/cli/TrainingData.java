package dev.nerve.cli;

import dev.nerve.data.ColumnEncoding;
import dev.nerve.data.DataFormatException;
import dev.nerve.data.Dataset;
import dev.nerve.data.Idx;
import dev.nerve.io.ModelSpec;
import dev.nerve.loss.SoftmaxCrossEntropy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data of a training run, read as the options say: a built-in example, a CSV file (its columns
 * encoded by the core's {@link ColumnEncoding}, fitted here) or IDX images and labels, with a
 * separate test set, each checked against the network's inputs and outputs; and the metadata the
 * model file will keep about it.
 */
final class TrainingData {
  private final TrainOptions o;

  TrainingData(TrainOptions o) {
    this.o = o;
  }

  /** Training data and where it came from. */
  record Source(
      Dataset train, Dataset test, String description, String sha256, Map<String, Object> meta) {}

  /** The metadata key of how an audio model wants its features laid out. */
  static final String AUDIO_LAYOUT = "audio_layout";

  /** {@link #AUDIO_LAYOUT}: {@code [bands, frames]}, the channels of a Conv1d. */
  static final String CHANNELS_FIRST = "channels_first";

  /** {@link #AUDIO_LAYOUT}: {@code [frames, bands]}, a sequence for attention. */
  static final String FRAMES_FIRST = "frames_first";

  /** A built-in example's data and metadata. */
  static Source example(Examples e, java.io.PrintWriter err) {
    Map<String, Object> m = new LinkedHashMap<>();
    ModelSpec spec = e.spec();
    if (e.audio()) {
      Examples.Audio a = e.audioData(err);
      m.put("input_format", "audio");
      m.put("classes", dev.nerve.examples.SpokenDigitNets.CLASSES);
      m.put(
          dev.nerve.audio.AudioFeatures.METADATA_KEY,
          dev.nerve.examples.SpokenDigitNets.FEATURES.toJson());
      m.put(AUDIO_LAYOUT, e == Examples.SPOKEN_DIGITS ? CHANNELS_FIRST : FRAMES_FIRST);
      m.put("trained_on", "built-in example " + e.id);
      return new Source(
          a.train(),
          a.test(),
          "spoken digits ("
              + a.dir()
              + ", "
              + a.train().size()
              + " training clips of "
              + a.trainSpeakers()
              + " speakers, "
              + a.test().size()
              + " test clips of "
              + a.testSpeakers()
              + " other speakers)",
          DataFiles.sha256(a.dir().resolve(dev.nerve.audio.SpokenDigits.MANIFEST)),
          m);
    }
    if (e.fashion()) {
      m.put("input_format", "idx");
      m.put("classes", Examples.FASHION_CLASSES);
      m.put("trained_on", "built-in example " + e.id);
      return new Source(
          e.train(),
          e.test(),
          "Fashion-MNIST (" + Examples.FASHION_DIR + ")",
          DataFiles.sha256(e.files()),
          m);
    }
    List<ColumnEncoding.Column> inputs = new ArrayList<>();
    for (int i = 1; i <= spec.inputs(); i++) {
      inputs.add(new ColumnEncoding.Column("x" + i, null));
    }
    new ColumnEncoding(inputs, "y", null).writeTo(m);
    m.put("trained_on", "built-in example " + e.id);
    Dataset d = e.train();
    return new Source(d, null, "built-in example " + e.id, DataFiles.sha256(d), m);
  }

  /** The --data files (CSV, or IDX with --labels), and --test-data, for this network. */
  Source files(ModelSpec spec) {
    if (spec.outputShape().rank() != 1) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "the network in "
              + o.network
              + " gives "
              + spec.outputShape()
              + " per example (a dense layer acts on the last axis of "
              + spec.shape()
              + "), but "
              + o.data
              + " has one target per example: put a flatten layer before the dense layer to"
              + " treat each example as one vector");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("trained_on", o.data.toString());
    if (o.labels != null || DataFiles.isIdx(o.data)) {
      return idxSource(spec, m);
    }
    boolean classify = spec.loss().equals(SoftmaxCrossEntropy.NAME);
    CsvTable t = CsvTable.read(o.data);
    ColumnEncoding enc;
    try {
      enc = ColumnEncoding.fit(t, o.target, o.categorical, classify);
    } catch (DataFormatException e) {
      throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
    }
    if (enc.width() != spec.inputs()) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "the network in "
              + o.network
              + " takes "
              + spec.inputs()
              + " inputs but the input columns of "
              + o.data
              + " ("
              + enc.describe()
              + ") give "
              + enc.width()
              + " besides the target '"
              + enc.target()
              + "'");
    }
    if (classify && enc.classes().size() != spec.outputs()) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "the network in "
              + o.network
              + " has "
              + spec.outputs()
              + " outputs but column '"
              + enc.target()
              + "' of "
              + o.data
              + " has "
              + enc.classes().size()
              + " classes ("
              + String.join(", ", enc.classes())
              + ")");
    } else if (!classify && spec.outputs() != 1) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "the network in "
              + o.network
              + " has "
              + spec.outputs()
              + " outputs; a numeric target column needs 1 (use loss"
              + " softmax_cross_entropy to predict classes)");
    }
    if (classify) {
      m.put("classes", enc.classes()); // where model files have always had it, before the columns
    }
    enc.writeTo(m);
    Dataset data;
    Dataset separateTest = null;
    try {
      data = enc.dataset(t);
      if (o.testData != null) {
        if (o.testLabels != null || DataFiles.isIdx(o.testData)) {
          throw new CliException(ExitCodes.USAGE, "--test-data must be CSV like --data");
        }
        separateTest = enc.dataset(CsvTable.read(o.testData));
      }
    } catch (DataFormatException e) {
      throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
    }
    return new Source(data, separateTest, o.data.toString(), DataFiles.sha256(o.data), m);
  }

  private Source idxSource(ModelSpec spec, Map<String, Object> m) {
    if (o.labels == null) {
      throw new CliException(
          ExitCodes.USAGE, o.data + " is an IDX file: give its labels with --labels");
    }
    if (o.target != null) {
      throw new CliException(ExitCodes.USAGE, "--target is for CSV data, not IDX");
    }
    Dataset data = readIdx(o.data, o.labels, spec);
    Dataset separateTest = null;
    if (o.testData != null) {
      if (o.testLabels == null) {
        throw new CliException(ExitCodes.USAGE, "--test-data is IDX: give --test-labels too");
      }
      separateTest = readIdx(o.testData, o.testLabels, spec);
    }
    List<String> classes = new ArrayList<>();
    for (int c = 0; c < spec.outputs(); c++) {
      classes.add(Integer.toString(c));
    }
    m.put("input_format", "idx");
    m.put("classes", classes);
    return new Source(
        data, separateTest, o.data + " + " + o.labels, DataFiles.sha256(o.data, o.labels), m);
  }

  private Dataset readIdx(Path images, Path lab, ModelSpec spec) {
    Dataset d;
    try {
      d = Idx.readDataset(images, lab, spec.outputs());
    } catch (IOException e) {
      throw Main.io(images + " / " + lab, e);
    }
    if (d.features().cols() != spec.inputs()) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          "the network in "
              + o.network
              + " takes "
              + spec.inputs()
              + " inputs"
              + (spec.inputShape().size() > 1 ? " (" + spec.inputShape() + ")" : "")
              + " but "
              + images
              + " holds images of "
              + d.features().cols()
              + " values");
    }
    return d;
  }
}

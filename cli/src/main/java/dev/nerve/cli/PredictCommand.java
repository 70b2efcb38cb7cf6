package dev.nerve.cli;

import dev.nerve.data.Features;
import dev.nerve.io.AtomicFiles;
import dev.nerve.loss.SoftmaxCrossEntropy;
import dev.nerve.nn.Sequential;
import dev.nerve.tensor.Tensor;
import dev.nerve.tensor.kernel.ElementWise;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nerve predict}: a saved model's outputs for every example of a CSV or IDX file, as CSV.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Write a saved model's predictions for every row of a CSV file or every image of an IDX"
          + " file, as CSV.",
      "A CSV needs the model's input columns (by name; other columns are ignored). Output:"
          + " for a classifier, the predicted class and one probability column per class;"
          + " otherwise the network's output columns. The model's saved normalisation is"
          + " applied first."
    },
    footer = {
      "%nExamples:",
      "  nerve predict --model iris.nerve --data new.csv --output predictions.csv",
      "  nerve predict --model fashion.nerve"
          + " --data /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz",
      "  nerve predict --model digits.nerve --wav seven.wav",
      ExitCodes.HELP
    })
final class PredictCommand implements Callable<Integer> {
  /** Examples predicted at once, so memory stays flat for any input size. */
  private static final int CHUNK = 1024;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin RuntimeOptions runtime;

  @Mixin ModelAndData in;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the predictions here instead of standard output.")
  Path output;

  @Option(
      names = {"-f", "--force"},
      description = "Replace the output file if it exists.")
  boolean force;

  @Option(
      names = "--text",
      paramLabel = "TEXT",
      description =
          "For a model that reads text: predict for this text (repeat for several), instead of"
              + " --data.")
  List<String> texts = new ArrayList<>();

  @Option(
      names = "--wav",
      paramLabel = "FILE",
      description =
          "For a model trained on audio (--example spoken-digits): predict for this WAV file"
              + " (repeat for several), instead of --data. The model's own features are made"
              + " from it: mixed to mono, resampled, cut or padded to its length.")
  List<Path> wavs = new ArrayList<>();

  @Override
  public Integer call() {
    Outputs.checkWritable(output, force, "--output");
    SavedModel m = in.model();
    if (m.tokenizer() != null) {
      return write(predictText(m));
    }
    if (!texts.isEmpty()) {
      throw new CliException(
          ExitCodes.USAGE, "--text is for a model that reads text; this one reads numbers");
    }
    Object audio = m.file.metadata().get(dev.nerve.audio.AudioFeatures.METADATA_KEY);
    if (!wavs.isEmpty() || audio != null) {
      return write(predictWav(m, audio));
    }
    Features x = m.inputs(in.data());
    Sequential net = m.file.model();
    int k = m.file.spec().outputs();
    boolean softmax = m.file.spec().loss().equals(SoftmaxCrossEntropy.NAME);
    StringBuilder sb = new StringBuilder();
    if (m.classes != null) {
      sb.append("predicted");
      for (String c : m.classes) {
        sb.append(',').append(csvField("p_" + c));
      }
    } else {
      for (int c = 0; c < k; c++) {
        sb.append(c == 0 ? "" : ",").append(k == 1 ? "prediction" : "output_" + (c + 1));
      }
    }
    sb.append('\n');
    Tensor xb = null;
    for (int from = 0; from < x.rows(); from += CHUNK) {
      int n = Math.min(CHUNK, x.rows() - from);
      if (xb == null || xb.rows() != n) {
        xb = Tensor.zeros(n, x.cols());
      }
      x.gather(null, from, n, xb.data());
      Tensor p = net.predict(xb);
      if (m.classes != null && softmax) {
        ElementWise.softmaxRows(p.data(), p.data(), p.rows(), k);
      }
      int[] best = m.classes != null ? p.argmaxRows() : null;
      for (int r = 0; r < n; r++) {
        if (best != null) {
          sb.append(csvField(m.classes.get(best[r]))).append(',');
        }
        for (int c = 0; c < k; c++) {
          sb.append(c == 0 ? "" : ",").append(p.get(r, c));
        }
        sb.append('\n');
      }
    }
    return write(sb);
  }

  /**
   * WAV files through a model trained on audio features: {@code file,predicted,p_<class>...}, the
   * features made as the model's metadata says.
   */
  private StringBuilder predictWav(SavedModel m, Object audio) {
    if (audio == null) {
      throw new CliException(
          ExitCodes.USAGE, "--wav is for a model trained on audio; this one reads numbers");
    }
    if (wavs.isEmpty()) {
      throw new CliException(
          ExitCodes.USAGE, "this model reads audio: give WAV files with --wav FILE");
    }
    if (in.data != null) {
      throw new CliException(ExitCodes.USAGE, "give either --wav or --data, not both");
    }
    dev.nerve.audio.AudioFeatures features;
    try {
      features = dev.nerve.audio.AudioFeatures.fromJson(audio);
    } catch (IllegalArgumentException e) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          in.model
              + ": metadata."
              + dev.nerve.audio.AudioFeatures.METADATA_KEY
              + ": "
              + e.getMessage());
    }
    boolean framesFirst =
        TrainingData.FRAMES_FIRST.equals(m.file.metadata().get(TrainingData.AUDIO_LAYOUT));
    int per = features.bands() * features.frames();
    if (per != m.file.spec().inputs()) {
      throw new CliException(
          ExitCodes.BAD_INPUT,
          in.model
              + ": its audio features give "
              + per
              + " values per clip but the network takes "
              + m.file.spec().inputs());
    }
    Tensor x = Tensor.zeros(wavs.size(), per);
    for (int i = 0; i < wavs.size(); i++) {
      dev.nerve.audio.Wav w;
      try {
        w = dev.nerve.audio.Wav.read(wavs.get(i));
      } catch (dev.nerve.data.DataFormatException e) {
        throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
      } catch (IOException e) {
        throw Main.io(wavs.get(i).toString(), e);
      }
      Tensor f = framesFirst ? features.extractFramesFirst(w) : features.extract(w);
      System.arraycopy(f.data(), 0, x.data(), i * per, per);
    }
    m.file.normalizer().applyInPlace(x.data(), x.rows(), per);
    Tensor p = m.file.model().predict(x);
    int k = p.cols();
    ElementWise.softmaxRows(p.data(), p.data(), p.rows(), k);
    int[] best = p.argmaxRows();
    StringBuilder sb = new StringBuilder("file,predicted");
    for (int c = 0; c < k; c++) {
      sb.append(',').append(csvField("p_" + (m.classes != null ? m.classes.get(c) : c)));
    }
    sb.append('\n');
    for (int r = 0; r < p.rows(); r++) {
      sb.append(csvField(wavs.get(r).toString()))
          .append(',')
          .append(csvField(m.classes != null ? m.classes.get(best[r]) : String.valueOf(best[r])));
      for (int c = 0; c < k; c++) {
        sb.append(',').append(p.get(r, c));
      }
      sb.append('\n');
    }
    return sb;
  }

  /** Writes the CSV to --output or standard output. */
  private int write(StringBuilder sb) {
    if (output == null) {
      spec.commandLine().getOut().print(sb);
      spec.commandLine().getOut().flush();
    } else {
      try {
        AtomicFiles.writeString(output, sb.toString());
      } catch (IOException e) {
        throw Main.io(output.toString(), e);
      }
    }
    return ExitCodes.OK;
  }

  /** Tokens a language model's prediction lists, most likely first. */
  static final int TOP_TOKENS = 5;

  /**
   * Raw text through a model that reads text: a classifier's class and probabilities, or a language
   * model's most likely next tokens. Unknown tokens are counted on standard error.
   */
  private StringBuilder predictText(SavedModel m) {
    dev.nerve.text.Tokenizer tok = m.tokenizer();
    List<String> where = new ArrayList<>();
    List<String> xs;
    if (!texts.isEmpty()) {
      if (in.data != null) {
        throw new CliException(ExitCodes.USAGE, "give --text or --data, not both");
      }
      xs = texts;
      for (int i = 0; i < xs.size(); i++) {
        where.add("--text " + (i + 1));
      }
    } else {
      xs = m.texts(in.data(), where);
    }
    Sequential net = m.file.model();
    int k = m.file.spec().outputs();
    boolean lm = m.languageModel();
    int vocab = tok.size();
    StringBuilder sb = new StringBuilder();
    if (lm) {
      sb.append("text");
      for (int j = 1; j <= TOP_TOKENS; j++) {
        sb.append(",next_").append(j).append(",p_").append(j);
      }
    } else {
      sb.append("text,predicted");
      for (String c : m.classes) {
        sb.append(',').append(csvField("p_" + c));
      }
    }
    sb.append('\n');
    long unknown = 0;
    // At most about 2^24 output values at once (a word model's logits are time x vocabulary).
    int chunk = (int) Math.max(1, Math.min(CHUNK, (1L << 24) / Math.max(1, (long) m.steps() * k)));
    for (int from = 0; from < xs.size(); from += chunk) {
      List<String> part = xs.subList(from, Math.min(xs.size(), from + chunk));
      int base = from;
      TextData.Encoded e = TextData.encode(tok, part, m.steps(), i -> where.get(base + i));
      unknown += e.unknown();
      net.resetState();
      Tensor p = net.predict(e.ids(), e.lengths());
      int per = p.size() / part.size(); // logits per text: classes, or steps x vocabulary
      for (int r = 0; r < part.size(); r++) {
        sb.append(csvField(part.get(r)));
        if (lm) {
          // The logits after the text's last real token.
          int o = r * per + (e.lengths()[r] - 1) * vocab;
          float[] probs = java.util.Arrays.copyOfRange(p.data(), o, o + vocab);
          ElementWise.softmaxRows(probs, probs, 1, vocab);
          Integer[] idx = new Integer[vocab];
          for (int j = 0; j < vocab; j++) {
            idx[j] = j;
          }
          java.util.Arrays.sort(idx, (a, b) -> Float.compare(probs[b], probs[a]));
          for (int j = 0; j < TOP_TOKENS && j < vocab; j++) {
            sb.append(',').append(csvField(tok.token(idx[j]))).append(',').append(probs[idx[j]]);
          }
        } else {
          float[] row = java.util.Arrays.copyOfRange(p.data(), r * k, r * k + k);
          ElementWise.softmaxRows(row, row, 1, k);
          int best = 0;
          for (int c = 1; c < k; c++) {
            best = row[c] > row[best] ? c : best;
          }
          sb.append(',').append(csvField(m.classes.get(best)));
          for (int c = 0; c < k; c++) {
            sb.append(',').append(row[c]);
          }
        }
        sb.append('\n');
      }
    }
    if (unknown > 0) {
      spec.commandLine()
          .getErr()
          .printf(
              "predict: %d %s never seen in training were read as %s%n",
              unknown,
              tok.kind() == dev.nerve.text.Tokenizer.Kind.CHARACTERS ? "characters" : "words",
              dev.nerve.text.Tokenizer.UNK_TOKEN);
      spec.commandLine().getErr().flush();
    }
    return sb;
  }

  /** A class name as a CSV field, quoted when it holds a comma, quote or line break. */
  static String csvField(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}

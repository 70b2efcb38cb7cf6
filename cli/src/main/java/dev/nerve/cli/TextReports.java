package dev.nerve.cli;

import dev.nerve.data.Dataset;
import dev.nerve.io.ModelSpec;
import dev.nerve.loss.Loss;
import dev.nerve.nn.Sequential;
import dev.nerve.text.Generator;
import dev.nerve.text.Tokenizer;
import dev.nerve.train.Evaluation;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * What a run on text prints after training: for a language model the bits per token and the
 * perplexity on each part, and a paragraph it writes; for a classifier, nothing beyond the usual
 * accuracy and confusion matrix.
 */
final class TextReports {
  /** Characters (or words) of the sample a language model writes after training. */
  static final int SAMPLE_LENGTH = 400;

  /** The temperature of that sample. */
  static final float SAMPLE_TEMPERATURE = 0.8f;

  private TextReports() {}

  static void afterTraining(
      PrintWriter out,
      Sequential net,
      ModelSpec spec,
      Map<String, Object> meta,
      Evaluation train,
      Evaluation test,
      Dataset validation,
      Loss loss) {
    if (!TextData.LANGUAGE_MODEL.equals(meta.get(TextData.TASK))) {
      return;
    }
    Tokenizer tok = Tokenizer.fromJson(meta.get(dev.nerve.io.ModelFile.TOKENIZER));
    String unit = tok.kind() == Tokenizer.Kind.CHARACTERS ? "character" : "word";
    line(out, "training", train, unit);
    if (validation != null) {
      line(out, "validation", Evaluation.of(net, loss, validation), unit);
    }
    if (test != null) {
      line(out, "test", test, unit);
    }
    String prompt = tok.kind() == Tokenizer.Kind.CHARACTERS ? "The " : "the";
    String text =
        Generator.generate(
            net,
            tok,
            prompt,
            new Generator.Options(SAMPLE_LENGTH, SAMPLE_TEMPERATURE, 0, spec.seed()));
    out.printf(
        Locale.ROOT,
        "a sample (temperature %.1f, seed %d; 'nerve generate' writes more):%n%s%s%n",
        SAMPLE_TEMPERATURE,
        spec.seed(),
        prompt,
        text);
  }

  private static void line(PrintWriter out, String part, Evaluation e, String unit) {
    out.printf(
        Locale.ROOT,
        "%s: %.4f bits per %s, perplexity %.3f, accuracy per %s %.2f%%, whole windows right"
            + " %.2f%%%n",
        part,
        e.bitsPerToken(),
        unit,
        e.perplexity(),
        unit,
        100 * e.accuracy(),
        100 * e.sequenceAccuracy());
  }
}

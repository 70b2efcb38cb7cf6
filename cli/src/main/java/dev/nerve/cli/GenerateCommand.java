package dev.nerve.cli;

import dev.nerve.text.Generator;
import dev.nerve.text.Tokenizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nerve generate}: text written by a trained language model. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Write text with a language model saved by 'nerve train --text-file' (or --example text):"
          + " the prompt is read, then each token is drawn from the model's prediction and fed"
          + " back. The same seed gives the same text on every run and any number of threads."
    },
    footer = {
      "%nExamples:",
      "  nerve generate --model fortunes.nerve --prompt 'The computer ' --length 300",
      "  nerve generate --model fortunes.nerve --prompt 'A' --temperature 0.5 --top-k 10 --seed 7",
      ExitCodes.HELP
    })
final class GenerateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin RuntimeOptions runtime;

  @Option(
      names = {"-m", "--model"},
      required = true,
      paramLabel = "FILE",
      description = "A language model saved by 'nerve train'.")
  Path model;

  @Option(
      names = "--prompt",
      paramLabel = "TEXT",
      defaultValue = "The ",
      description = "The text to start from (default '${DEFAULT-VALUE}').")
  String prompt;

  @Option(
      names = "--length",
      paramLabel = "N",
      defaultValue = "400",
      description = "Tokens to write, characters or words (default ${DEFAULT-VALUE}).")
  int length;

  @Option(
      names = "--temperature",
      paramLabel = "T",
      defaultValue = "0.8",
      description =
          "Below 1 more likely choices, above 1 more surprising; 0 always takes the most likely"
              + " (default ${DEFAULT-VALUE}).")
  float temperature;

  @Option(
      names = "--top-k",
      paramLabel = "K",
      defaultValue = "0",
      description = "Draw only from the K most likely tokens (0: all; default ${DEFAULT-VALUE}).")
  int topK;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "0",
      description = "The seed of the draws (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    Generator.Options options;
    try {
      options = new Generator.Options(length, temperature, topK, seed);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
    SavedModel m = SavedModel.read(model);
    Tokenizer tok = m.tokenizer();
    if (tok == null || !m.languageModel()) {
      throw new CliException(
          ExitCodes.USAGE,
          model
              + " is not a language model"
              + (tok == null ? " (it does not read text)" : " (it classifies text: use predict)"));
    }
    int unknown = Tokenizer.unknown(tok.encode(prompt));
    String text;
    try {
      text = Generator.generate(m.file.model(), tok, prompt, options);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
    if (unknown > 0) {
      spec.commandLine()
          .getErr()
          .printf(
              "generate: %d %s of the prompt never seen in training were read as %s%n",
              unknown,
              tok.kind() == Tokenizer.Kind.CHARACTERS ? "characters" : "words",
              Tokenizer.UNK_TOKEN);
      spec.commandLine().getErr().flush();
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(prompt);
    out.println(text);
    out.flush();
    return ExitCodes.OK;
  }
}

package dev.nerve.cli;

import dev.nerve.data.ColumnEncoding;
import dev.nerve.io.Json;
import dev.nerve.io.ModelFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nerve inspect}: a model file's manifest and layer summary, after checking the file. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Check a model file (format, version, checksum, shapes) and print its manifest: the"
          + " network's layers, training settings, normalisation, data hash, columns and"
          + " classes. With --json, the manifest itself."
    },
    footer = {"%nExample:", "  nerve inspect fashion.nerve", ExitCodes.HELP})
final class InspectCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin RuntimeOptions runtime;

  @picocli.CommandLine.Parameters(paramLabel = "MODEL", description = "The model file.")
  Path model;

  @Option(names = "--json", description = "Print the manifest as JSON.")
  boolean json;

  @Override
  public Integer call() {
    ModelFile file;
    Map<String, Object> manifest;
    try {
      file = ModelFile.read(model);
      manifest = ModelFile.readManifest(model);
    } catch (IOException e) {
      throw Main.io(model.toString(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.print(Json.write(manifest));
      out.flush();
      return ExitCodes.OK;
    }
    Object version = manifest.get("version");
    out.printf("%s: %s version %s%n", model, manifest.get("format"), version);
    if (manifest.get("library") != null) {
      out.printf("written by %s at %s%n", manifest.get("library"), manifest.get("created"));
    }
    if (manifest.get("weights") instanceof Map<?, ?> w) {
      out.printf("weights   %s bytes, SHA-256 %s (verified)%n", w.get("bytes"), w.get("sha256"));
    }
    out.println();
    out.println(file.model().summary());
    out.printf(
        "loss %s, optimizer %s, learning rate %s%n",
        file.spec().loss(), file.spec().optimizer(), file.spec().learningRate());
    out.println("normalisation " + file.normalizer());
    Map<String, Object> meta = file.metadata();
    ColumnEncoding cols;
    try {
      cols = ColumnEncoding.fromMetadata(meta);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.BAD_INPUT, e.getMessage());
    }
    if (cols.hasColumns()) {
      out.println("input columns " + cols.describe());
    } else if ("idx".equals(meta.get("input_format"))) {
      List<Integer> shape = file.spec().inputShape();
      out.println(
          "inputs    IDX images of "
              + (shape.size() > 1
                  ? shape + " (" + file.spec().inputs() + " values)"
                  : shape.get(0) + " values"));
    }
    dev.nerve.text.Tokenizer tok = file.tokenizer();
    if (tok != null) {
      out.printf(
          "text      %s, %s tokens%s, read %s%n",
          TextData.LANGUAGE_MODEL.equals(meta.get(TextData.TASK))
              ? "language model"
              : "classifier of column '" + meta.get(TextData.TEXT_COLUMN) + "'",
          tok.size(),
          tok.lowercase() ? " (lower-cased)" : "",
          tok.kind() == dev.nerve.text.Tokenizer.Kind.CHARACTERS ? "by character" : "by word");
      StringBuilder sample = new StringBuilder();
      for (String t : tok.sample(40)) {
        sample.append(sample.length() == 0 ? "" : " ").append(printable(t));
      }
      out.println("vocabulary " + sample + (tok.size() > 42 ? " ..." : ""));
    }
    if (meta.get("target") != null) {
      out.println("target    " + meta.get("target"));
    }
    if (meta.get("classes") instanceof List<?> l) {
      out.println("classes   " + String.join(", ", cols.classes()));
    }
    if (meta.get("training") instanceof Map<?, ?> t) {
      out.println("training:");
      t.forEach((k, v) -> out.printf("  %-20s %s%n", k, v));
    }
    if (meta.get("epoch") != null) {
      out.println("checkpoint of epoch " + meta.get("epoch"));
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** A token as it can be shown on one line: spaces and control characters named. */
  static String printable(String t) {
    return switch (t) {
      case " " -> "␠";
      case "\n" -> "\\n";
      case "\t" -> "\\t";
      default ->
          t.codePoints().anyMatch(Character::isISOControl)
              ? "U+" + Integer.toHexString(t.codePointAt(0))
              : t;
    };
  }
}

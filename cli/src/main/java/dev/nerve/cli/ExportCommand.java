package dev.nerve.cli;

import dev.nerve.io.AtomicFiles;
import dev.nerve.io.ModelFile;
import dev.nerve.onnx.Onnx;
import dev.nerve.onnx.OnnxExport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nerve export}: a saved model as an ONNX model. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write a saved model in another format: ONNX (opset 17), for ONNX Runtime and every other"
          + " runtime that reads it.",
      "The model's saved normalisation becomes the graph's first operators, so raw inputs give"
          + " the model's outputs; the batch size is left free; class names, columns and"
          + " provenance go into the ONNX metadata."
    },
    footer = {
      "%nExample:",
      "  nerve export --model fashion.nerve --format onnx --output fashion.onnx",
      ExitCodes.HELP
    })
final class ExportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-m", "--model"},
      required = true,
      paramLabel = "FILE",
      description = "A model saved by 'nerve train --output'.")
  Path model;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "onnx",
      description = "The format: onnx (the default and, for now, the only one).")
  String format;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "FILE",
      description = "The file to write.")
  Path output;

  @Option(
      names = {"-f", "--force"},
      description = "Replace the output file if it exists.")
  boolean force;

  @Override
  public Integer call() {
    if (!format.equals("onnx")) {
      throw new CliException(
          ExitCodes.USAGE, "--format: unknown format '" + format + "'; use onnx");
    }
    Outputs.checkWritable(output, force, "--output");
    ModelFile m;
    try {
      m = ModelFile.read(model);
    } catch (IOException e) {
      throw Main.io(model.toString(), e);
    }
    byte[] bytes;
    try {
      bytes = Onnx.write(OnnxExport.export(m));
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.BAD_INPUT, model + ": " + e.getMessage());
    }
    try {
      AtomicFiles.write(output, bytes);
    } catch (IOException e) {
      throw Main.io(output.toString(), e);
    }
    spec.commandLine()
        .getOut()
        .println(
            "wrote "
                + output
                + " (ONNX opset "
                + OnnxExport.OPSET
                + ", "
                + bytes.length
                + " bytes, "
                + m.model().layers().size()
                + " layers, input "
                + OnnxExport.INPUT
                + " [batch, "
                + String.join(
                    ", ",
                    java.util.Arrays.stream(m.model().inputShape().dims())
                        .mapToObj(Integer::toString)
                        .toList())
                + "])");
    return ExitCodes.OK;
  }
}

package dev.nerve.cli;

import dev.nerve.io.ModelFile;
import dev.nerve.onnx.OnnxImport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nerve import}: an ONNX model as a Nerve model file. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Read an ONNX model (as PyTorch's torch.onnx.export or 'nerve export' writes them) and save"
          + " it as a Nerve model, to predict, evaluate or train further (train --init-weights).",
      "The graph must be a chain of the operators Nerve's layers are (Gemm, MatMul + Add, Conv,"
          + " the pools, Flatten, the activations, BatchNormalization, LayerNormalization, ...);"
          + " anything else is refused with every unsupported node named, and nothing is written."
          + " 'nerve predict --model M.onnx' reads an ONNX model directly."
    },
    footer = {"%nExample:", "  nerve import model.onnx --output model.nerve", ExitCodes.HELP})
final class ImportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX file.")
  Path input;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "FILE",
      description = "The Nerve model file to write.")
  Path output;

  @Option(
      names = {"-f", "--force"},
      description = "Replace the output file if it exists.")
  boolean force;

  @Override
  public Integer call() {
    Outputs.checkWritable(output, force, "--output");
    ModelFile m;
    try {
      m = OnnxImport.read(input);
    } catch (IOException e) {
      throw Main.io(input.toString(), e);
    }
    try {
      m.write(output);
    } catch (IOException e) {
      throw Main.io(output.toString(), e);
    }
    var out = spec.commandLine().getOut();
    out.println(m.model().summary().stripTrailing());
    out.println("model saved to " + output);
    return ExitCodes.OK;
  }
}

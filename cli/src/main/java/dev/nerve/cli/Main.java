package dev.nerve.cli;

import dev.nerve.io.FormatException;
import dev.nerve.tensor.ShapeMismatchException;
import dev.nerve.train.DivergenceException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nerve} command: {@code train}, {@code evaluate}, {@code predict}, {@code inspect}, and
 * more ({@code trace}, {@code generate}, {@code data}).
 *
 * <p>Errors never show a stack trace: each becomes one line on standard error, {@code nerve:
 * <reason>}, and an exit code from {@link ExitCodes}.
 */
@Command(
    name = "nerve",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Train and use neural networks: a pure-Java library with no native code.",
    subcommands = {
      TrainCommand.class,
      TraceCommand.class,
      EvaluateCommand.class,
      PredictCommand.class,
      InspectCommand.class,
      GenerateCommand.class,
      DataCommand.class,
      ExportCommand.class,
      ImportCommand.class
    },
    footer = ExitCodes.HELP)
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "a command is required: train, trace, evaluate, predict, inspect, generate, data, export"
            + " or import");
  }

  /** Runs {@code nerve} with these arguments and exits with its exit code. */
  public static void main(String[] args) {
    PrintWriter err = new PrintWriter(System.err, true);
    int code;
    try {
      code = run(args, new PrintWriter(System.out, true), err);
    } catch (OutOfMemoryError e) {
      err.println("nerve: out of memory (give the JVM more with NERVE_JAVA_OPTS=-Xmx8g)");
      code = ExitCodes.IO;
    } catch (Throwable e) {
      err.println("nerve: internal error: " + e);
      code = ExitCodes.IO;
    }
    System.exit(code);
  }

  /** Runs {@code nerve} with these arguments, writing to {@code out} and {@code err}. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          CommandLine c = ex.getCommandLine();
          err.println("nerve: " + ex.getMessage());
          err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more.");
          return ExitCodes.USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, parseResult) -> {
          int code = exitCode(ex);
          String msg = ex.getMessage();
          err.println("nerve: " + (msg == null ? ex.getClass().getSimpleName() : msg));
          return code;
        });
    return cl.execute(args);
  }

  static int exitCode(Exception ex) {
    if (ex instanceof CliException) {
      return ((CliException) ex).exitCode();
    }
    if (ex instanceof DivergenceException) {
      return ExitCodes.DIVERGED;
    }
    if (ex instanceof FormatException
        || ex instanceof dev.nerve.data.DataFormatException
        || ex instanceof ShapeMismatchException) {
      return ExitCodes.BAD_INPUT;
    }
    if (ex instanceof IOException || ex instanceof UncheckedIOException) {
      return ExitCodes.IO;
    }
    return ExitCodes.IO;
  }

  /** Turns the JDK's terse I/O exceptions into a sentence. */
  static CliException io(String what, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new CliException(ExitCodes.IO, what + ": no such file: " + e.getMessage());
    }
    if (e instanceof FormatException || e instanceof dev.nerve.data.DataFormatException) {
      return new CliException(ExitCodes.BAD_INPUT, e.getMessage());
    }
    if (e instanceof java.nio.charset.CharacterCodingException) {
      return new CliException(ExitCodes.BAD_INPUT, what + ": not valid UTF-8 text");
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return new CliException(ExitCodes.IO, what + ": permission denied: " + e.getMessage());
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException
        || e instanceof java.nio.file.NotDirectoryException) {
      return new CliException(ExitCodes.IO, what + ": cannot create " + e.getMessage());
    }
    String msg = e.getMessage();
    return new CliException(ExitCodes.IO, what + ": " + (msg == null ? "input/output error" : msg));
  }

  /** The library version and the matrix-multiply backend in use. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "nerve " + dev.nerve.Nerve.version(),
        "Java "
            + System.getProperty("java.version")
            + ", matrix multiply: "
            + dev.nerve.tensor.kernel.Gemm.backend()
            + ", threads: "
            + dev.nerve.tensor.kernel.Parallel.threads()
      };
    }
  }
}

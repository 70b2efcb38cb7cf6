package dev.nerve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Any bytes given as a CSV file give a table or the CLI's bad-input refusal (a {@link CliException}
 * with exit code 3, naming the line and column): never another exception or a hang. See {@code
 * dev.nerve.io.ModelFileFuzzTest} for how it runs.
 */
class CsvFuzzTest {
  private static Path file;

  @FuzzTest(maxDuration = "5m")
  void csv(byte[] bytes) throws IOException {
    if (file == null) {
      file = Files.createTempFile("nerve-fuzz", ".csv");
      file.toFile().deleteOnExit();
    }
    Files.write(file, bytes);
    try {
      CsvTable.read(file);
    } catch (CliException e) {
      if (e.exitCode() != ExitCodes.BAD_INPUT) {
        throw e;
      }
    }
  }

  /** The fuzzer's second finding: a file whose first bytes are not UTF-8 was never closed. */
  @Test
  void aRefusedFileIsClosed() throws IOException {
    Path fds = Path.of("/proc/self/fd");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
    Path f = Files.createTempFile("nerve-utf8", ".csv");
    try {
      Files.write(f, new byte[] {(byte) 0xB0, 'a', ',', 'b', '\n', '1', ',', '2', '\n'});
      for (int i = 0; i < 20; i++) {
        assertEquals(ExitCodes.BAD_INPUT, readFails(f));
      }
      long before = count(fds);
      for (int i = 0; i < 200; i++) {
        assertEquals(ExitCodes.BAD_INPUT, readFails(f));
      }
      long after = count(fds);
      assertTrue(after < before + 20, "open files grew from " + before + " to " + after);
    } finally {
      Files.delete(f);
    }
  }

  private static int readFails(Path f) {
    try {
      CsvTable.read(f);
      return 0;
    } catch (CliException e) {
      return e.exitCode();
    }
  }

  private static long count(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test
  void malformedQuotingIsBadInputWithItsPosition() throws IOException {
    // The fuzzer's first finding: a stray quote in the header was reported as a read error.
    Path f = Files.createTempFile("nerve-quote", ".csv");
    try {
      Files.writeString(f, "a,\"b\"x,c\n1,2,3\n");
      CliException e =
          org.junit.jupiter.api.Assertions.assertThrows(CliException.class, () -> CsvTable.read(f));
      assertEquals(ExitCodes.BAD_INPUT, e.exitCode());
      assertTrue(e.getMessage().contains("line: 1"), e.getMessage());
    } finally {
      Files.delete(f);
    }
  }
}

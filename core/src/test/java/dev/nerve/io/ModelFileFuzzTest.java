package dev.nerve.io;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes given to the model-file reader give a model or a {@link FormatException}: never another
 * exception, an {@code OutOfMemoryError} from a lying size, or a hang. Plain test runs replay the
 * inputs in {@code src/test/resources/dev/nerve/io/ModelFileFuzzTestInputs/}; {@code JAZZER_FUZZ=1}
 * fuzzes (RELIABILITY.md).
 */
class ModelFileFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void modelFile(byte[] bytes) {
    try {
      ModelFile.fromBytes(bytes, "fuzz");
    } catch (FormatException expected) {
      // the documented refusal
    }
  }
}

package dev.nerve.data;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes given to the IDX reader (plain or gzip) give the contents or a {@link
 * DataFormatException}: never another exception, an {@code OutOfMemoryError} from a lying
 * dimension, or a hang. See {@code dev.nerve.io.ModelFileFuzzTest} for how it runs.
 */
class IdxFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void idx(byte[] bytes) {
    try {
      Idx.read(bytes, "fuzz");
    } catch (DataFormatException expected) {
      // the documented refusal
    }
  }
}

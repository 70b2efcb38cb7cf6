package dev.nerve.audio;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nerve.data.DataFormatException;

/**
 * Any bytes given to the WAV reader give a {@link Wav} or a {@link DataFormatException}: never
 * another exception, an {@code OutOfMemoryError} from a lying size, or a hang. See {@code
 * dev.nerve.io.ModelFileFuzzTest} for how it runs.
 */
class WavFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void wav(byte[] bytes) {
    try {
      Wav.read(bytes, "fuzz");
    } catch (DataFormatException expected) {
      // the documented refusal
    }
  }
}

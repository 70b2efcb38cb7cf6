package dev.nerve.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;

/**
 * Any bytes given to the training-state reader give a state or a {@link FormatException}; see
 * {@link ModelFileFuzzTest}. The fuzzer's bytes get a valid CRC-32 appended, so that mutations
 * reach the parser behind the checksum (TrainingStateFileTest covers damaged checksums).
 */
class TrainingStateFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void trainingState(byte[] body) {
    CRC32 crc = new CRC32();
    crc.update(body);
    byte[] bytes =
        ByteBuffer.allocate(body.length + 8)
            .order(ByteOrder.LITTLE_ENDIAN)
            .put(body)
            .putLong(crc.getValue())
            .array();
    try {
      TrainingStateFile.fromBytes(bytes, "fuzz");
    } catch (FormatException expected) {
      // the documented refusal
    }
  }
}

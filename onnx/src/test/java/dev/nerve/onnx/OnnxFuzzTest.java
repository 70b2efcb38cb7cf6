package dev.nerve.onnx;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes given to the ONNX reader and importer give a model or an {@link OnnxFormatException}:
 * never another exception, an {@code OutOfMemoryError} from a lying size, or a hang. The seed
 * inputs are PyTorch's and Nerve's own exports (resources {@code OnnxFuzzTestInputs/onnx}).
 */
class OnnxFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void onnx(byte[] bytes) {
    try {
      OnnxImport.read(bytes, "fuzz");
    } catch (OnnxFormatException expected) {
      // the documented refusal
    }
  }
}

package dev.nerve.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nerve.tensor.Tensor;
import java.nio.FloatBuffer;
import java.util.Map;

/** Runs ONNX bytes in ONNX Runtime, the reference: the test side of every check here. */
final class Ort {
  private Ort() {}

  /** The model's output for {@code x} ({@code [batch, ...]}), as ONNX Runtime computes it. */
  static float[] run(byte[] model, Tensor x) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setIntraOpNumThreads(1);
      try (OrtSession s = env.createSession(model, o)) {
        long[] shape = new long[x.rank()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = x.shape().dim(i);
        }
        String input = s.getInputNames().iterator().next();
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data()), shape);
            OrtSession.Result r = s.run(Map.of(input, t))) {
          FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
          float[] out = new float[b.remaining()];
          b.get(out);
          return out;
        }
      }
    }
  }
}

package dev.nerve.onnx;

import dev.nerve.data.DataFormatException;

/**
 * An ONNX file Nerve refuses: not protobuf, cut short, a size that lies, a graph Nerve cannot take.
 * The message says where (a byte offset or a node's name) and why; nothing is built.
 */
public class OnnxFormatException extends DataFormatException {
  private static final long serialVersionUID = 1L;

  /** With a message naming the place and the reason. */
  public OnnxFormatException(String message) {
    super(message);
  }
}

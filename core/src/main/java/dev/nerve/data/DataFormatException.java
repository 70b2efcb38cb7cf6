package dev.nerve.data;

import java.io.IOException;

/**
 * A data file that Nerve refuses to read, with the file, the place (line and column, or byte
 * offset) and the reason. Nothing is loaded from it.
 */
public class DataFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** With a message naming the file, the place and the reason. */
  public DataFormatException(String message) {
    super(message);
  }
}

package dev.nerve.io;

/** A file that Nerve refuses to read, with the reason and where. Nothing is loaded from it. */
public class FormatException extends java.io.IOException {
  private static final long serialVersionUID = 1L;

  /** With a message naming the file and the reason. */
  public FormatException(String message) {
    super(message);
  }
}

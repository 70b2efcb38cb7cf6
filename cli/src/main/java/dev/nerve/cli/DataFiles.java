package dev.nerve.cli;

import dev.nerve.data.Dataset;
import dev.nerve.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Telling data files apart, and fingerprinting them for the model's manifest. */
final class DataFiles {
  private DataFiles() {}

  /**
   * Whether {@code file} holds IDX data rather than CSV: it starts with two zero bytes (IDX's magic
   * number) or is gzip-compressed (the form MNIST and Fashion-MNIST are shipped in).
   */
  static boolean isIdx(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      int a = in.read();
      int b = in.read();
      return (a == 0 && b == 0) || (a == 0x1f && b == 0x8b);
    } catch (IOException e) {
      throw Main.io(file.toString(), e);
    }
  }

  /** SHA-256 over the bytes of {@code files}, in order, as hex. */
  static String sha256(Path... files) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (Path f : files) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(f), md)) {
          while (in.read(buf) >= 0) {
            // the digest stream hashes as it reads
          }
        } catch (IOException e) {
          throw Main.io(f.toString(), e);
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** SHA-256 of {@code bytes}, as hex. */
  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * SHA-256 of a dataset held in memory (a built-in example): its inputs' then its targets' floats,
   * little-endian.
   */
  static String sha256(Dataset d) {
    Tensor x = d.x();
    Tensor y = d.y();
    ByteBuffer b = ByteBuffer.allocate(4 * (x.size() + y.size())).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(x.data()).put(y.data());
    return sha256(b.array());
  }
}

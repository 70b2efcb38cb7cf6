package dev.nerve.cli;

import dev.nerve.io.AtomicFiles;
import dev.nerve.io.Json;
import dev.nerve.train.History;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code nerve train --history FILE}: the loss of every iteration as CSV ({@code
 * iteration,epoch,batch,loss}), or, for a {@code .json} name, every per-epoch series too (NaN as
 * null).
 */
final class HistoryFiles {
  private HistoryFiles() {}

  /** Writes {@code h} to {@code file} atomically, CSV or JSON by the file's name. */
  static void write(History h, Path file) throws IOException {
    AtomicFiles.writeString(file, file.toString().endsWith(".json") ? json(h) : csv(h));
  }

  static String json(History h) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("iteration_loss", h.iterationLosses());
    doc.put("epoch_loss", Results.finite(h.epochLosses()));
    doc.put("epoch_accuracy", Results.finite(h.trainAccuracies()));
    doc.put("validation_loss", Results.finite(h.validationLosses()));
    doc.put("validation_accuracy", Results.finite(h.validationAccuracies()));
    doc.put("epoch_seconds", h.epochSeconds());
    return Json.write(doc);
  }

  static String csv(History h) {
    double[] it = h.iterationLosses();
    int perEpoch = h.epochCount() == 0 ? 1 : it.length / h.epochCount();
    StringBuilder sb = new StringBuilder("iteration,epoch,batch,loss\n");
    for (int i = 0; i < it.length; i++) {
      sb.append(i + 1)
          .append(',')
          .append(i / perEpoch + 1)
          .append(',')
          .append(i % perEpoch + 1)
          .append(',')
          .append(it[i])
          .append('\n');
    }
    return sb.toString();
  }
}

package dev.nerve.cli;

import dev.nerve.io.Json;
import dev.nerve.train.TrainingListener;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code train --json}: one JSON object per epoch on standard output, for other programs. */
final class JsonLines implements TrainingListener {
  private final PrintWriter out;

  JsonLines(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void onEpochEnd(EpochEnd e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", "epoch");
    m.put("epoch", e.epoch());
    m.put("epochs", e.epochs());
    m.put("loss", Results.finite(e.loss()));
    m.put("accuracy", Results.finite(e.accuracy()));
    m.put("validation_loss", Results.finite(e.validationLoss()));
    m.put("validation_accuracy", Results.finite(e.validationAccuracy()));
    m.put("learning_rate", e.learningRate());
    m.put("seconds", e.nanos() / 1e9);
    out.println(Json.writeLine(m));
    out.flush();
  }
}

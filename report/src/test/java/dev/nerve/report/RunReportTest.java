package dev.nerve.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunReportTest {

  @Test
  void absentPartsBecomeEmpty() {
    RunReport r =
        new RunReport(
            null, null, null, 0, null, null, null, null, 0, null, null, null, null, null, null,
            null, null, null, null);
    assertEquals(Map.of(), r.versions());
    assertEquals(List.of(), r.layers());
    assertEquals(0, r.iterationLoss().length);
    assertEquals(0, r.epochSeconds().length);
    assertEquals(List.of(), r.inputs());
  }

  @Test
  void mapsKeepTheCallersOrderAndAreCopied() {
    Map<String, String> hp = new LinkedHashMap<>();
    hp.put("z", "1");
    hp.put("a", "2");
    hp.put("m", null);
    RunReport r =
        new RunReport(
            "t", null, null, 0, null, hp, null, null, 0, null, null, null, null, null, null, null,
            null, null, null);
    hp.put("b", "3");
    assertEquals(List.of("z", "a", "m"), List.copyOf(r.hyperParameters().keySet()));
    assertThrows(UnsupportedOperationException.class, () -> r.hyperParameters().put("q", "1"));
  }

  @Test
  void equalReportsAreEqualAndArraysAreCopied() {
    double[] loss = {1, 0.5};
    RunReport a = RunReport.builder("t").trainLoss(loss).seed(3).build();
    loss[0] = 9;
    a.trainLoss()[1] = 9;
    RunReport b = RunReport.builder("t").trainLoss(new double[] {1, 0.5}).seed(3).build();
    assertEquals(b, a);
    assertEquals(b.hashCode(), a.hashCode());
    assertNotEquals(RunReport.builder("t").seed(4).build(), a);
  }

  @Test
  void negativeParameterCountIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new LayerRow(1, "Dense", "[3]", -1));
  }
}

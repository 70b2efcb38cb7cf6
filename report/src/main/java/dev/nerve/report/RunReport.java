package dev.nerve.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything {@link HtmlReport} shows about one finished training run, as plain data.
 *
 * <p>Whatever is absent may be null: strings show as empty, {@code classification} and {@code
 * regression} leave their sections out, and null maps, lists and arrays become empty ones (an empty
 * curve leaves its chart out). Maps keep the caller's order (pass a {@link LinkedHashMap}); a null
 * map value shows as empty. Arrays and collections are copied on construction, and arrays again on
 * access, so a report cannot change after it is made; a null map key or layer row throws {@code
 * NullPointerException}. Most callers use {@link #builder}.
 *
 * <pre>{@code
 * RunReport r = RunReport.builder("MNIST, 784-128-10")
 *     .createdAt(Instant.now().toString())
 *     .seed(42)
 *     .iterationLoss(history.iterationLosses())
 *     .trainLoss(trainLoss).validationLoss(validationLoss)
 *     .classification(Classification.of("test", classNames, confusion))
 *     .build();
 * String html = HtmlReport.render(r);
 * }</pre>
 *
 * @param title what was trained, shown as the page title
 * @param createdAt when, as an ISO-8601 string given by the caller
 * @param versions software versions, for example {@code nerve -> 0.1.0}, {@code java -> 17.0.15}
 * @param seed the random seed of the run
 * @param dataHash the training data's SHA-256 as hex
 * @param hyperParameters name to value, in the order given
 * @param dataDescription facts about the data, for example {@code training examples -> 54000}
 * @param layers the model summary, one row per layer
 * @param totalParameters the model's trainable values in all
 * @param iterationLoss the loss after each optimiser step, in order
 * @param trainLoss the training loss per epoch
 * @param validationLoss the validation loss per epoch; empty without a validation set
 * @param trainAccuracy the training accuracy per epoch; empty (or NaN entries) when not
 *     classification
 * @param validationAccuracy the validation accuracy per epoch; empty or NaN when absent
 * @param epochSeconds the wall-clock seconds of each epoch
 * @param classification classification results, or null
 * @param regression regression metrics, or null
 * @param outcome how the run ended, in the order given, for example {@code stopped -> early
 *     stopping at epoch 9} and {@code test accuracy -> 0.8843}
 */
public record RunReport(
    String title,
    String createdAt,
    Map<String, String> versions,
    long seed,
    String dataHash,
    Map<String, String> hyperParameters,
    Map<String, String> dataDescription,
    List<LayerRow> layers,
    long totalParameters,
    double[] iterationLoss,
    double[] trainLoss,
    double[] validationLoss,
    double[] trainAccuracy,
    double[] validationAccuracy,
    double[] epochSeconds,
    Classification classification,
    Regression regression,
    Map<String, String> outcome,
    List<Picture> inputs) {

  private static final double[] NONE = {};

  /**
   * Makes a report; null collections and arrays become empty ones, the rest is copied.
   *
   * @param title what was trained, shown as the page title
   * @param createdAt when, as an ISO-8601 string given by the caller
   * @param versions software versions, for example {@code nerve -> 0.1.0}, {@code java -> 17.0.15}
   * @param seed the random seed of the run
   * @param dataHash the training data's SHA-256 as hex
   * @param hyperParameters name to value, in the order given
   * @param dataDescription facts about the data, for example {@code training examples -> 54000}
   * @param layers the model summary, one row per layer
   * @param totalParameters the model's trainable values in all
   * @param iterationLoss the loss after each optimiser step, in order
   * @param trainLoss the training loss per epoch
   * @param validationLoss the validation loss per epoch; empty without a validation set
   * @param trainAccuracy the training accuracy per epoch; empty (or NaN entries) when not
   *     classification
   * @param validationAccuracy the validation accuracy per epoch; empty or NaN when absent
   * @param epochSeconds the wall-clock seconds of each epoch
   * @param classification classification results, or null
   * @param regression regression metrics, or null
   * @param outcome how the run ended, in the order given, for example {@code stopped -> early
   *     stopping at epoch 9} and {@code test accuracy -> 0.8843}
   * @param inputs examples of the inputs to draw (spectrograms), in order; empty for none
   * @throws NullPointerException if a map key or a layer row is null
   */
  public RunReport {
    versions = copy(versions, "versions");
    hyperParameters = copy(hyperParameters, "hyperParameters");
    dataDescription = copy(dataDescription, "dataDescription");
    outcome = copy(outcome, "outcome");
    if (layers == null) {
      layers = List.of();
    } else {
      for (int i = 0; i < layers.size(); i++) {
        Objects.requireNonNull(layers.get(i), "layer row " + i);
      }
      layers = List.copyOf(layers);
    }
    iterationLoss = copy(iterationLoss);
    trainLoss = copy(trainLoss);
    validationLoss = copy(validationLoss);
    trainAccuracy = copy(trainAccuracy);
    validationAccuracy = copy(validationAccuracy);
    epochSeconds = copy(epochSeconds);
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
  }

  /**
   * Starts a report with the given title and everything else absent.
   *
   * @param title what was trained
   * @return a builder
   */
  public static Builder builder(String title) {
    return new Builder(title);
  }

  /**
   * Returns a copy of the loss after each optimiser step.
   *
   * @return the iteration losses
   */
  @Override
  public double[] iterationLoss() {
    return iterationLoss.clone();
  }

  /**
   * Returns a copy of the training loss per epoch.
   *
   * @return the training loss per epoch
   */
  @Override
  public double[] trainLoss() {
    return trainLoss.clone();
  }

  /**
   * Returns a copy of the validation loss per epoch.
   *
   * @return the validation loss per epoch, empty if none
   */
  @Override
  public double[] validationLoss() {
    return validationLoss.clone();
  }

  /**
   * Returns a copy of the training accuracy per epoch.
   *
   * @return the training accuracy per epoch, empty if none
   */
  @Override
  public double[] trainAccuracy() {
    return trainAccuracy.clone();
  }

  /**
   * Returns a copy of the validation accuracy per epoch.
   *
   * @return the validation accuracy per epoch, empty if none
   */
  @Override
  public double[] validationAccuracy() {
    return validationAccuracy.clone();
  }

  /**
   * Returns a copy of the seconds per epoch.
   *
   * @return the wall-clock seconds of each epoch
   */
  @Override
  public double[] epochSeconds() {
    return epochSeconds.clone();
  }

  /** Compares every component, arrays element by element (NaN equals NaN). */
  @Override
  public boolean equals(Object o) {
    return o instanceof RunReport r
        && Objects.equals(title, r.title)
        && Objects.equals(createdAt, r.createdAt)
        && versions.equals(r.versions)
        && seed == r.seed
        && Objects.equals(dataHash, r.dataHash)
        && hyperParameters.equals(r.hyperParameters)
        && dataDescription.equals(r.dataDescription)
        && layers.equals(r.layers)
        && totalParameters == r.totalParameters
        && Arrays.equals(iterationLoss, r.iterationLoss)
        && Arrays.equals(trainLoss, r.trainLoss)
        && Arrays.equals(validationLoss, r.validationLoss)
        && Arrays.equals(trainAccuracy, r.trainAccuracy)
        && Arrays.equals(validationAccuracy, r.validationAccuracy)
        && Arrays.equals(epochSeconds, r.epochSeconds)
        && Objects.equals(classification, r.classification)
        && Objects.equals(regression, r.regression)
        && outcome.equals(r.outcome)
        && inputs.equals(r.inputs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        title,
        createdAt,
        versions,
        seed,
        dataHash,
        hyperParameters,
        dataDescription,
        layers,
        totalParameters,
        Arrays.hashCode(iterationLoss),
        Arrays.hashCode(trainLoss),
        Arrays.hashCode(validationLoss),
        Arrays.hashCode(trainAccuracy),
        Arrays.hashCode(validationAccuracy),
        Arrays.hashCode(epochSeconds),
        classification,
        regression,
        outcome,
        inputs);
  }

  @Override
  public String toString() {
    return "RunReport[title="
        + title
        + ", createdAt="
        + createdAt
        + ", seed="
        + seed
        + ", layers="
        + layers.size()
        + ", iterations="
        + iterationLoss.length
        + ", epochs="
        + trainLoss.length
        + "]";
  }

  private static Map<String, String> copy(Map<String, String> m, String what) {
    if (m == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : m.entrySet()) {
      out.put(Objects.requireNonNull(e.getKey(), () -> "a key of " + what), e.getValue());
    }
    return Collections.unmodifiableMap(out);
  }

  private static double[] copy(double[] v) {
    return v == null ? NONE : v.clone();
  }

  /**
   * Collects a {@link RunReport} field by field; anything not set is absent. Map setters add
   * entries in call order; the others replace.
   */
  public static final class Builder {
    private final String title;
    private String createdAt;
    private final Map<String, String> versions = new LinkedHashMap<>();
    private long seed;
    private String dataHash;
    private final Map<String, String> hyperParameters = new LinkedHashMap<>();
    private final Map<String, String> dataDescription = new LinkedHashMap<>();
    private final List<LayerRow> layers = new ArrayList<>();
    private long totalParameters;
    private double[] iterationLoss;
    private double[] trainLoss;
    private double[] validationLoss;
    private double[] trainAccuracy;
    private double[] validationAccuracy;
    private double[] epochSeconds;
    private Classification classification;
    private Regression regression;
    private final Map<String, String> outcome = new LinkedHashMap<>();
    private final List<Picture> inputs = new ArrayList<>();

    private Builder(String title) {
      this.title = title;
    }

    /**
     * Sets when the run was made.
     *
     * @param isoInstant an ISO-8601 string
     * @return this builder
     */
    public Builder createdAt(String isoInstant) {
      this.createdAt = isoInstant;
      return this;
    }

    /**
     * Adds a software version.
     *
     * @param name for example {@code java}
     * @param version for example {@code 17.0.15}
     * @return this builder
     */
    public Builder version(String name, String version) {
      versions.put(name, version);
      return this;
    }

    /**
     * Sets the random seed.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets the training data's hash.
     *
     * @param sha256Hex SHA-256 as hex
     * @return this builder
     */
    public Builder dataHash(String sha256Hex) {
      this.dataHash = sha256Hex;
      return this;
    }

    /**
     * Adds a hyper-parameter.
     *
     * @param name for example {@code learning rate}
     * @param value for example {@code 0.1}
     * @return this builder
     */
    public Builder hyperParameter(String name, String value) {
      hyperParameters.put(name, value);
      return this;
    }

    /** Adds settings in the map's order (how a run split its batches, for example). */
    public Builder hyperParameters(java.util.Map<String, String> settings) {
      hyperParameters.putAll(settings);
      return this;
    }

    /**
     * Adds a fact about the data.
     *
     * @param name for example {@code training examples}
     * @param value for example {@code 54000}
     * @return this builder
     */
    public Builder data(String name, String value) {
      dataDescription.put(name, value);
      return this;
    }

    /**
     * Adds a row to the model summary.
     *
     * @param row the layer
     * @return this builder
     */
    public Builder layer(LayerRow row) {
      layers.add(Objects.requireNonNull(row, "layer row"));
      return this;
    }

    /**
     * Sets the model's total parameter count.
     *
     * @param total trainable values in all
     * @return this builder
     */
    public Builder totalParameters(long total) {
      this.totalParameters = total;
      return this;
    }

    /**
     * Sets the loss after each optimiser step.
     *
     * @param loss the losses; copied
     * @return this builder
     */
    public Builder iterationLoss(double[] loss) {
      this.iterationLoss = copy(loss);
      return this;
    }

    /**
     * Sets the training loss per epoch.
     *
     * @param loss the losses; copied
     * @return this builder
     */
    public Builder trainLoss(double[] loss) {
      this.trainLoss = copy(loss);
      return this;
    }

    /**
     * Sets the validation loss per epoch.
     *
     * @param loss the losses; copied
     * @return this builder
     */
    public Builder validationLoss(double[] loss) {
      this.validationLoss = copy(loss);
      return this;
    }

    /**
     * Sets the training accuracy per epoch.
     *
     * @param accuracy fractions in [0, 1]; copied
     * @return this builder
     */
    public Builder trainAccuracy(double[] accuracy) {
      this.trainAccuracy = copy(accuracy);
      return this;
    }

    /**
     * Sets the validation accuracy per epoch.
     *
     * @param accuracy fractions in [0, 1]; copied
     * @return this builder
     */
    public Builder validationAccuracy(double[] accuracy) {
      this.validationAccuracy = copy(accuracy);
      return this;
    }

    /**
     * Sets the wall-clock seconds of each epoch.
     *
     * @param seconds one per epoch; copied
     * @return this builder
     */
    public Builder epochSeconds(double[] seconds) {
      this.epochSeconds = copy(seconds);
      return this;
    }

    /**
     * Sets the classification results.
     *
     * @param c the results, or null
     * @return this builder
     */
    public Builder classification(Classification c) {
      this.classification = c;
      return this;
    }

    /**
     * Sets the regression metrics.
     *
     * @param r the metrics, or null
     * @return this builder
     */
    public Builder regression(Regression r) {
      this.regression = r;
      return this;
    }

    /**
     * Adds a line to the outcome.
     *
     * @param name for example {@code stopped}
     * @param value for example {@code early stopping at epoch 9; best epoch 6 restored}
     * @return this builder
     */
    public Builder outcome(String name, String value) {
      outcome.put(name, value);
      return this;
    }

    /**
     * Adds an example of the inputs to draw, after those added before.
     *
     * @param p the picture
     * @return this builder
     */
    public Builder input(Picture p) {
      inputs.add(Objects.requireNonNull(p, "picture"));
      return this;
    }

    /**
     * Makes the report.
     *
     * @return the report
     */
    public RunReport build() {
      return new RunReport(
          title,
          createdAt,
          versions,
          seed,
          dataHash,
          hyperParameters,
          dataDescription,
          layers,
          totalParameters,
          iterationLoss,
          trainLoss,
          validationLoss,
          trainAccuracy,
          validationAccuracy,
          epochSeconds,
          classification,
          regression,
          outcome,
          inputs);
    }
  }
}

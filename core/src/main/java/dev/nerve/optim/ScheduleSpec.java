package dev.nerve.optim;

import java.util.Set;

/**
 * A learning-rate schedule as a run's settings name it: its kind, its factor, step, floor and
 * patience, and an optional linear warm-up. One place parses it ({@link #of}), builds the schedule
 * ({@link #build}) and describes it ({@link #describe}), the description being what a model file
 * records and a resumed run compares.
 *
 * <pre>{@code
 * ScheduleSpec s = ScheduleSpec.of("cosine", null, 10, 1e-4f, 2, 3);   // 3 warm-up epochs
 * trainer.learningRateSchedule(s.build(epochs));
 * s.describe(epochs);   // "warm-up 3 epochs, then cosine over 17 epochs to 1.0E-4"
 * }</pre>
 *
 * @param kind {@code step}, {@code exponential}, {@code cosine}, {@code plateau}, or null for a
 *     constant rate
 * @param gamma the decay factor of step, exponential and plateau
 * @param step epochs between step decays
 * @param min the lowest rate of cosine and plateau
 * @param patience epochs without a better loss before a plateau decay
 * @param warmup epochs of linear warm-up before the schedule, 0 for none
 */
public record ScheduleSpec(
    String kind, float gamma, int step, float min, int patience, int warmup) {
  private static final Set<String> KINDS = Set.of("step", "exponential", "cosine", "plateau");

  /**
   * Checks the kind and the counts.
   *
   * @throws IllegalArgumentException for an unknown kind or a negative warm-up
   */
  public ScheduleSpec {
    if (kind != null && !KINDS.contains(kind)) {
      throw new IllegalArgumentException(
          "unknown schedule '" + kind + "' (choose step, exponential, cosine or plateau)");
    }
    if (warmup < 0) {
      throw new IllegalArgumentException("warm-up epochs must be 0 or more, got " + warmup);
    }
  }

  /**
   * A schedule with the usual defaults for what is not given: factor 0.1 (0.95 for exponential).
   *
   * @param gamma the factor, or null for the kind's default
   * @param warmup the warm-up epochs (at least 1), or null for none
   * @throws IllegalArgumentException as the constructor, or for a warm-up of less than 1 epoch
   */
  public static ScheduleSpec of(
      String kind, Float gamma, int step, float min, int patience, Integer warmup) {
    if (warmup != null && warmup < 1) {
      throw new IllegalArgumentException("warm-up needs at least 1 epoch, got " + warmup);
    }
    float g = gamma != null ? gamma : "exponential".equals(kind) ? 0.95f : 0.1f;
    return new ScheduleSpec(kind, g, step, min, patience, warmup == null ? 0 : warmup);
  }

  /** Whether the rate never changes. */
  public boolean isConstant() {
    return kind == null && warmup == 0;
  }

  /**
   * The schedule for a run of {@code epochs} epochs, or null for a constant rate.
   *
   * @throws IllegalArgumentException if a setting is out of the schedule's range
   */
  public LearningRateSchedule build(int epochs) {
    LearningRateSchedule s =
        kind == null
            ? null
            : switch (kind) {
              case "step" -> LearningRateSchedule.step(step, gamma);
              case "exponential" -> LearningRateSchedule.exponential(gamma);
              case "cosine" -> LearningRateSchedule.cosine(cosinePeriod(epochs), min);
              default -> LearningRateSchedule.reduceOnPlateau(gamma, patience, min);
            };
    if (warmup > 0) {
      s = LearningRateSchedule.warmup(warmup, s == null ? LearningRateSchedule.constant() : s);
    }
    return s;
  }

  private int cosinePeriod(int epochs) {
    return Math.max(1, epochs - warmup);
  }

  /**
   * The schedule with every setting that shapes it, such as {@code warm-up 2 epochs, then step
   * every 10 epochs by 0.1}: the same text for the same schedule.
   */
  public String describe(int epochs) {
    String after =
        kind == null
            ? "constant"
            : switch (kind) {
              case "step" -> "step every " + step + " epochs by " + gamma;
              case "exponential" -> "exponential by " + gamma;
              case "cosine" -> "cosine over " + cosinePeriod(epochs) + " epochs to " + min;
              default -> "plateau by " + gamma + ", patience " + patience + ", minimum " + min;
            };
    return (warmup > 0 ? "warm-up " + warmup + " epochs, then " : "") + after;
  }
}

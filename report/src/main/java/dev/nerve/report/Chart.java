package dev.nerve.report;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a line chart shows: a title, two axis labels and one or more {@link Series}. Render it with
 * {@link Charts#png} or {@link Charts#svg}.
 *
 * <p>With {@code logY} the y axis is logarithmic (base 10), which suits a loss that falls over
 * several orders of magnitude; values that are zero or negative cannot be placed on it and are left
 * out as gaps, like NaN.
 *
 * <p>A null argument or series throws {@code NullPointerException}; two series with one name throw
 * {@code IllegalArgumentException}. The list is copied.
 *
 * <pre>{@code
 * Chart c = new Chart("Loss per epoch", "epoch", "loss",
 *     List.of(Series.of("train", trainLoss), Series.of("validation", validationLoss)), false);
 * byte[] png = Charts.png(c, 800, 400);
 * }</pre>
 *
 * @param title the title drawn above the plot; not null, may be empty for none
 * @param xLabel the x axis label; not null, may be empty
 * @param yLabel the y axis label; not null, may be empty
 * @param series the lines, drawn in this order with distinct colours; not null, no null elements,
 *     distinct names (the legend would otherwise be ambiguous); may be empty
 * @param logY whether the y axis is logarithmic
 */
public record Chart(String title, String xLabel, String yLabel, List<Series> series, boolean logY) {

  /**
   * Makes a chart, copying the list.
   *
   * @param title the title drawn above the plot; not null, may be empty for none
   * @param xLabel the x axis label; not null, may be empty
   * @param yLabel the y axis label; not null, may be empty
   * @param series the lines, drawn in this order with distinct colours; not null, no null elements,
   *     distinct names (the legend would otherwise be ambiguous); may be empty
   * @param logY whether the y axis is logarithmic
   * @throws NullPointerException if an argument or a series is null
   * @throws IllegalArgumentException if two series share a name
   */
  public Chart {
    Objects.requireNonNull(title, "chart title (use \"\" for none)");
    Objects.requireNonNull(xLabel, "x axis label (use \"\" for none)");
    Objects.requireNonNull(yLabel, "y axis label (use \"\" for none)");
    Objects.requireNonNull(series, "series list");
    for (int i = 0; i < series.size(); i++) {
      Objects.requireNonNull(series.get(i), "series " + i + " of chart '" + title + "'");
    }
    series = List.copyOf(series);
    Set<String> names = new HashSet<>();
    for (Series s : series) {
      if (!names.add(s.name())) {
        throw new IllegalArgumentException(
            "chart '" + title + "' has two series named '" + s.name() + "'; names must differ");
      }
    }
  }
}

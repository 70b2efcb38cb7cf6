package dev.nerve.report;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * A base-10 logarithmic y axis labelled at round values: 1, 2, 5 times a power of ten (or every
 * digit, or only powers of ten, whichever fits the height), with unlabelled minor ticks between.
 * JFreeChart's own {@link LogAxis} labels fractional powers of ten such as 3.981 and 0.631.
 */
final class NiceLogAxis extends LogAxis {

  private static final long serialVersionUID = 1L;

  /** Mantissa sets, densest first; the first whose labels fit is used. */
  private static final double[][] MANTISSAS = {
    {1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 5}, {1, 3}, {1},
  };

  /** Vertical pixels per tick label, so labels never crowd. */
  private static final double LABEL_SPACING = 22;

  NiceLogAxis(String label) {
    super(label);
    setBase(10);
  }

  @Override
  @SuppressWarnings("rawtypes") // JFreeChart declares the raw type; we return List<NumberTick>
  protected List refreshTicksVertical(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
    double lo = getRange().getLowerBound();
    double hi = getRange().getUpperBound();
    if (!(lo > 0) || !(hi > lo) || !Double.isFinite(hi)) {
      return super.refreshTicksVertical(g2, dataArea, edge);
    }
    int maxLabels = Math.max(2, (int) (dataArea.getHeight() / LABEL_SPACING));
    int first = (int) Math.floor(Math.log10(lo));
    int last = (int) Math.ceil(Math.log10(hi));
    double[] chosen = null;
    int decadeStep = 1;
    for (double[] m : MANTISSAS) {
      if (count(m, first, last, 1, lo, hi) <= maxLabels) {
        chosen = m;
        break;
      }
    }
    if (chosen == null) {
      chosen = MANTISSAS[MANTISSAS.length - 1];
      while (count(chosen, first, last, decadeStep, lo, hi) > maxLabels) {
        decadeStep++;
      }
    }
    if (count(chosen, first, last, decadeStep, lo, hi) < 2) {
      return super.refreshTicksVertical(g2, dataArea, edge);
    }
    boolean left = edge != RectangleEdge.RIGHT;
    TextAnchor anchor = left ? TextAnchor.CENTER_RIGHT : TextAnchor.CENTER_LEFT;
    boolean minor = decadeStep == 1 && last - first <= 8;
    List<NumberTick> ticks = new ArrayList<>();
    for (int k = first; k <= last; k++) {
      double p = Math.pow(10, k);
      for (int d = 1; d <= 9; d++) {
        double v = d * p;
        if (v < lo || v > hi) {
          continue;
        }
        boolean labelled = contains(chosen, d) && Math.floorMod(k - first, decadeStep) == 0;
        if (labelled) {
          ticks.add(new NumberTick(TickType.MAJOR, v, CompactFormat.label(v), anchor, anchor, 0));
        } else if (minor) {
          ticks.add(new NumberTick(TickType.MINOR, v, "", anchor, anchor, 0));
        }
      }
    }
    return ticks;
  }

  private static int count(
      double[] mantissas, int first, int last, int step, double lo, double hi) {
    int n = 0;
    for (int k = first; k <= last; k += step) {
      double p = Math.pow(10, k);
      for (double m : mantissas) {
        double v = m * p;
        if (v >= lo && v <= hi) {
          n++;
        }
      }
    }
    return n;
  }

  private static boolean contains(double[] set, int d) {
    for (double m : set) {
      if (m == d) {
        return true;
      }
    }
    return false;
  }
}

package dev.nerve.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;

/**
 * Short labels for a logarithmic axis: at most four significant digits, plain between 0.001 and
 * 100,000 ({@code 0.025}, {@code 10}), scientific outside ({@code 1e-5}, {@code 2.5e6}).
 */
final class CompactFormat extends NumberFormat {

  private static final long serialVersionUID = 1L;

  @Override
  public StringBuffer format(double v, StringBuffer out, FieldPosition pos) {
    return out.append(label(v));
  }

  @Override
  public StringBuffer format(long v, StringBuffer out, FieldPosition pos) {
    return out.append(label((double) v));
  }

  @Override
  public Number parse(String source, ParsePosition pos) {
    int start = pos.getIndex();
    int end = start;
    while (end < source.length() && "0123456789+-.eE".indexOf(source.charAt(end)) >= 0) {
      end++;
    }
    try {
      double v = Double.parseDouble(source.substring(start, end));
      pos.setIndex(end);
      return v;
    } catch (NumberFormatException e) {
      pos.setErrorIndex(start);
      return null;
    }
  }

  static String label(double v) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    if (v == 0) {
      return "0";
    }
    BigDecimal d = new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros();
    double a = Math.abs(v);
    if (a >= 1e-3 && a < 1e5) {
      return d.toPlainString();
    }
    String s = String.format(java.util.Locale.ROOT, "%.3e", d.doubleValue());
    int e = s.indexOf('e');
    String mantissa = s.substring(0, e).replaceAll("\\.?0+$", "");
    int exponent = Integer.parseInt(s.substring(e + 1));
    return mantissa + "e" + exponent;
  }
}

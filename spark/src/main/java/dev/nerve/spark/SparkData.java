package dev.nerve.spark;

import dev.nerve.data.Dataset;
import dev.nerve.data.Features;
import dev.nerve.tensor.Shape;
import java.io.Serializable;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Examples that already live in Spark — a {@code JavaRDD} of {@link Example}s or a {@code
 * Dataset<Row>} with a vector column — numbered and partitioned deterministically for a {@link
 * SparkStep}: each example gets its index from {@code zipWithIndex} (the RDD's own order), and
 * example {@code i} goes to partition {@code i mod K} with a partitioner on that index (never
 * {@code repartition()}, whose placement is random), sorted by index within its partition. The
 * driver holds only the count and the shapes ({@link #driverView()}). The source's order must be
 * deterministic (a table read from files, or sorted by a key): Spark evaluates it more than once
 * (the count, the numbering), and the numbering is then kept.
 *
 * <pre>{@code
 * SparkData data = SparkData.fromRows(df, "features", "label", 10);
 * try (SparkStep spark = SparkStep.builder(sc, net, loss).partitions(4).data(data).build()) {
 *   trainer.gradientSource(spark).build().fit(data.driverView());
 * }
 * }</pre>
 */
public final class SparkData implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * One example: its input values (row-major in the network's input shape) and its target values.
   */
  public record Example(float[] features, float[] target) implements Serializable {}

  private final transient JavaRDD<Example> examples;
  private final long count;
  private final int inputs;
  private final int targets;

  private SparkData(JavaRDD<Example> examples) {
    this.examples = examples;
    Example first;
    try {
      first = examples.first();
    } catch (UnsupportedOperationException e) {
      throw new IllegalArgumentException("the RDD holds no example", e);
    }
    this.inputs = first.features().length;
    this.targets = first.target().length;
    this.count = examples.count();
    if (count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(count + " examples: at most 2^31-1");
    }
  }

  /** Examples from an RDD, in its order. */
  public static SparkData fromRdd(JavaRDD<Example> examples) {
    return new SparkData(examples);
  }

  /**
   * Examples from a table: {@code featuresCol} holds each example's inputs (a Spark ML vector, or
   * an array of numbers), {@code labelCol} a class number in [0, classes) made one-hot, or with
   * {@code classes == 0} a number or array of numbers taken as the target itself.
   *
   * @throws IllegalArgumentException if a column is missing (named), or classes is negative
   */
  public static SparkData fromRows(
      org.apache.spark.sql.Dataset<Row> rows, String featuresCol, String labelCol, int classes) {
    if (classes < 0) {
      throw new IllegalArgumentException("classes must be 0 (regression) or more, got " + classes);
    }
    List<String> columns = List.of(rows.columns());
    for (String c : new String[] {featuresCol, labelCol}) {
      if (!columns.contains(c)) {
        throw new IllegalArgumentException("no column '" + c + "' among " + columns);
      }
    }
    int f = columns.indexOf(featuresCol);
    int l = columns.indexOf(labelCol);
    return new SparkData(
        rows.javaRDD()
            .map(
                r -> {
                  float[] x = numbers(r.get(f), featuresCol);
                  float[] y;
                  if (classes > 0) {
                    double label = ((Number) r.get(l)).doubleValue();
                    int c = (int) label;
                    if (c != label || c < 0 || c >= classes) {
                      throw new IllegalArgumentException(
                          labelCol + ": " + label + " is not a class in [0, " + classes + ")");
                    }
                    y = new float[classes];
                    y[c] = 1f;
                  } else {
                    y = numbers(r.get(l), labelCol);
                  }
                  return new Example(x, y);
                }));
  }

  /** A vector or array of numbers (or one number) as floats. */
  static float[] numbers(Object v, String column) {
    if (v instanceof Number n) {
      return new float[] {n.floatValue()};
    }
    if (v instanceof scala.collection.Seq<?> seq) {
      float[] out = new float[seq.length()];
      for (int i = 0; i < out.length; i++) {
        out[i] = ((Number) seq.apply(i)).floatValue();
      }
      return out;
    }
    if (v instanceof List<?> list) {
      float[] out = new float[list.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = ((Number) list.get(i)).floatValue();
      }
      return out;
    }
    if (v != null) {
      // A Spark ML vector (dense or sparse) without depending on spark-mllib: toArray().
      try {
        Method m = v.getClass().getMethod("toArray");
        if (m.getReturnType() == double[].class) {
          double[] d = (double[]) m.invoke(v);
          float[] out = new float[d.length];
          for (int i = 0; i < d.length; i++) {
            out[i] = (float) d[i];
          }
          return out;
        }
      } catch (ReflectiveOperationException e) {
        // not a vector: reported below
      }
    }
    throw new IllegalArgumentException(
        column
            + ": expected a vector or an array of numbers, got "
            + (v == null ? "null" : v.getClass().getSimpleName()));
  }

  /** The number of examples. */
  public int size() {
    return (int) count;
  }

  /**
   * The driver's stand-in for the data: as many examples, of the right sizes, all zero. The trainer
   * orders batches by it; the partitions read the real values. (It is not for evaluation.)
   */
  public Dataset driverView() {
    return new Dataset(Features.zeros(size(), inputs), Features.zeros(size(), targets));
  }

  /** The examples as K shards: partition k holds examples k, k + K, ... in order. */
  JavaRDD<Shard> shards(int k, int[] inputShape) {
    int in = inputs;
    int out = targets;
    // Kept, so that the numbering is made once: recomputing it after a lost block would renumber
    // the examples of a source whose order is not fixed.
    JavaPairRDD<Long, Example> keyed =
        examples
            .zipWithIndex()
            .mapToPair(t -> new Tuple2<>(t._2(), t._1()))
            .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    return keyed
        .partitionBy(new ModuloPartitioner(k))
        .mapPartitionsWithIndex(
            (part, it) -> {
              List<Tuple2<Long, Example>> list = new ArrayList<>();
              it.forEachRemaining(list::add);
              list.sort((a, b) -> Long.compare(a._1(), b._1()));
              float[] x = new float[list.size() * in];
              float[] y = new float[list.size() * out];
              for (int i = 0; i < list.size(); i++) {
                long index = list.get(i)._1();
                Example e = list.get(i)._2();
                if (index != part + (long) i * k) {
                  throw new IllegalStateException(
                      "partition " + part + " got example " + index + " in place " + i);
                }
                if (e.features().length != in || e.target().length != out) {
                  throw new IllegalArgumentException(
                      "example "
                          + index
                          + " has "
                          + e.features().length
                          + " inputs and "
                          + e.target().length
                          + " targets; the first has "
                          + in
                          + " and "
                          + out);
                }
                System.arraycopy(e.features(), 0, x, i * in, in);
                System.arraycopy(e.target(), 0, y, i * out, out);
              }
              Dataset d =
                  new Dataset(
                      Features.of(dev.nerve.tensor.Tensor.wrap(x, list.size(), in)),
                      Shape.of(inputShape),
                      Features.of(dev.nerve.tensor.Tensor.wrap(y, list.size(), out)),
                      Shape.of(out),
                      null);
              return List.of(new Shard(part, k, d)).iterator();
            },
            true);
  }

  /** Example {@code i} to partition {@code i mod K}. */
  static final class ModuloPartitioner extends HashPartitioner {
    private static final long serialVersionUID = 1L;
    private final int k;

    ModuloPartitioner(int k) {
      super(k);
      this.k = k;
    }

    @Override
    public int getPartition(Object key) {
      return (int) Math.floorMod((Long) key, (long) k);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ModuloPartitioner m && m.k == k;
    }

    @Override
    public int hashCode() {
      return 31 * k + 7;
    }
  }
}

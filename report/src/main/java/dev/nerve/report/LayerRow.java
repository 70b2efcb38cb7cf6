package dev.nerve.report;

/**
 * One row of the model summary table. A negative parameter count throws {@code
 * IllegalArgumentException}.
 *
 * @param index the layer's position, as the caller counts it (usually from 1)
 * @param layer the layer as a person reads it, for example {@code Dense(in=784, out=128)}; null
 *     shows as empty
 * @param outputShape the shape of one example's output, for example {@code [128]}; null shows as
 *     empty
 * @param parameters the number of trainable values in the layer, 0 for none
 */
public record LayerRow(int index, String layer, String outputShape, long parameters) {

  /**
   * Makes a row.
   *
   * @param index the layer's position, as the caller counts it (usually from 1)
   * @param layer the layer as a person reads it, for example {@code Dense(in=784, out=128)}; null
   *     shows as empty
   * @param outputShape the shape of one example's output, for example {@code [128]}; null shows as
   *     empty
   * @param parameters the number of trainable values in the layer, 0 for none
   * @throws IllegalArgumentException if {@code parameters} is negative
   */
  public LayerRow {
    if (parameters < 0) {
      throw new IllegalArgumentException(
          "layer " + index + " has a negative parameter count: " + parameters);
    }
  }
}

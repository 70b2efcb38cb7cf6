/**
 * Data for training: {@link dev.nerve.data.Dataset} (inputs and targets, one row per example, with
 * the shape of each example's inputs and targets and an optional mask over target positions), and
 * {@link dev.nerve.data.Batcher}, which splits it into full, stochastic or mini batches with seeded
 * per-epoch shuffling and hands each out as a {@link dev.nerve.data.Batch} in those shapes ({@code
 * [batch, c, h, w]} images, {@code [batch, t, f]} sequences). Rows stay in their cheapest form
 * ({@link dev.nerve.data.Features}: float matrices, IDX bytes, index selections, normalised views).
 * {@link dev.nerve.data.Normalizer} standardises inputs; {@link dev.nerve.data.ColumnEncoding}
 * turns columns of text (numeric, categorical one-hot, a class target) into inputs and targets and
 * travels in the model file; {@link dev.nerve.data.Idx} reads MNIST-style files. Parsing CSV text
 * is the command line's: core sees a {@link dev.nerve.data.ColumnEncoding.Table} of cells.
 *
 * <pre>{@code
 * Dataset seqs = new Dataset(x, y).withMask(mask);   // x [n, t, f], y [n, t, classes], mask [n, t]
 * }</pre>
 */
package dev.nerve.data;

/**
 * The hot loops, and the only place that knows about vector widths, blocking and threads.
 *
 * <p>{@link dev.nerve.tensor.kernel.Gemm} is the matrix multiply with transpose flags that every
 * layer runs on: a GotoBLAS-style packed kernel on the JDK Vector API when the {@code
 * jdk.incubator.vector} module is present, plain Java when it is not, chosen at run time so one jar
 * works either way. {@link dev.nerve.tensor.kernel.ElementWise} and {@link
 * dev.nerve.tensor.kernel.Reduce} hold the element-wise maps and the row/column reductions. Kernels
 * work on raw {@code float[]} with offsets and leading dimensions (BLAS style); everything above
 * this package works on {@link dev.nerve.tensor.Tensor}.
 *
 * <p>Reproducibility: each output element is computed by one thread, in a fixed order, with the
 * same fused multiply-adds on every path, so results are bit-identical whatever the thread count
 * and whether or not the Vector API is present.
 */
package dev.nerve.tensor.kernel;

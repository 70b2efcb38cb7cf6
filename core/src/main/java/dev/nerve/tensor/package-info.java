/**
 * {@link dev.nerve.tensor.Tensor}, the public array type: float32, row-major, contiguous, with a
 * {@link dev.nerve.tensor.Shape}; and {@link dev.nerve.tensor.Rng}, the seeded random generator
 * every random draw in Nerve comes from.
 *
 * <pre>{@code
 * Tensor x = Tensor.of(new float[][] {{1, 0, 1, 0}, {1, 0, 1, 1}});
 * Tensor w = Tensor.uniform(new Rng(0), 0f, 1f, 4, 3);
 * Tensor h = x.matmul(w).map(v -> 1f / (1f + (float) Math.exp(-v)));
 * }</pre>
 */
package dev.nerve.tensor;

/**
 * The two tutorials the library grew from, as runnable programs and as building blocks for the
 * command line's built-in examples: {@link dev.nerve.examples.Tutorial1} (4-3-1 sigmoid, biases, lr
 * 0.1, 5000 epochs) and {@link dev.nerve.examples.Tutorial2} (3-4-1 sigmoid, no biases, sum of
 * squares, 1500 iterations).
 */
package dev.nerve.examples;

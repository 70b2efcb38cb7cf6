package dev.nerve.cli;

import dev.nerve.data.Dataset;
import dev.nerve.examples.Tutorial1;
import dev.nerve.examples.Tutorial2;
import dev.nerve.io.ModelSpec;

/**
 * The built-in examples of {@code nerve train --example}: the two tutorials, as core defines them.
 */
enum Examples {
  /** Tutorial 1: 4-3-1 sigmoid with biases, half squared error, lr 0.1, 5000 epochs. */
  tutorial1(Tutorial1.spec(), Tutorial1.data()),
  /** Tutorial 2: 3-4-1 sigmoid without biases, sum of squares, lr 1, 1500 iterations. */
  tutorial2(Tutorial2.spec(), Tutorial2.data());

  final ModelSpec spec;
  final Dataset data;

  Examples(ModelSpec spec, Dataset data) {
    this.spec = spec;
    this.data = data;
  }
}

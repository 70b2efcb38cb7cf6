/**
 * JMH benchmarks. Not tests: nothing here asserts a duration. {@code bench/compare.py} runs them
 * beside the peers (numpy) in one invocation and prints ratios.
 */
package dev.nerve.bench;

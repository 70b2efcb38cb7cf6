/**
 * Data for training: {@link dev.nerve.data.Dataset} (inputs and targets, one row per example) and
 * {@link dev.nerve.data.Batcher}, which splits it into full, stochastic or mini batches with seeded
 * per-epoch shuffling. Readers for files (CSV) live in the command line module.
 */
package dev.nerve.data;

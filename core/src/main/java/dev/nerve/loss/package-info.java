/**
 * Losses: {@link dev.nerve.loss.HalfSquaredError} (tutorial 1), {@link
 * dev.nerve.loss.SumSquaredError} (tutorial 2), {@link dev.nerve.loss.MeanSquaredError}, {@link
 * dev.nerve.loss.BinaryCrossEntropy} and {@link dev.nerve.loss.SoftmaxCrossEntropy} (fused with
 * softmax, on logits). Each gives a value and dL/d(prediction), where backpropagation starts, on
 * {@code [batch, outputs]} or {@code [batch, time, outputs]} with a mask that drops padded steps; a
 * slice of a batch gets the gradient for the whole batch's mean, so that slices add up.
 */
package dev.nerve.loss;

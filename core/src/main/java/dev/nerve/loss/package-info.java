/**
 * Losses: {@link dev.nerve.loss.HalfSquaredError} (tutorial 1), {@link
 * dev.nerve.loss.SumSquaredError} (tutorial 2), {@link dev.nerve.loss.MeanSquaredError}, {@link
 * dev.nerve.loss.BinaryCrossEntropy} and {@link dev.nerve.loss.SoftmaxCrossEntropy} (fused with
 * softmax, on logits). Each gives a value and dL/d(prediction), where backpropagation starts.
 */
package dev.nerve.loss;

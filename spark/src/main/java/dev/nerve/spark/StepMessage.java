package dev.nerve.spark;

import java.io.Serializable;

/**
 * What the driver broadcasts for one step: the weights, buffers and generator states every
 * partition starts from, the batch (its examples' indices, its time length), and the whole batch's
 * mean count.
 *
 * @param step the step's number in the run, from 1
 * @param weights every parameter's values, in the model's order
 * @param buffers every buffer's values (batch normalisation's running statistics)
 * @param random the layers' generator states
 * @param indices the batch's examples, in batch order
 * @param steps the batch's time length after cutting padding, or -1 when it has no lengths
 * @param meanOver the count the whole batch's mean loss runs over
 * @param failPartition for fault tests: the partition whose first attempt at this step fails, or -1
 */
record StepMessage(
    long step,
    float[][] weights,
    float[][] buffers,
    long[] random,
    int[] indices,
    int steps,
    long meanOver,
    int failPartition)
    implements Serializable {}

package dev.nerve.spark;

import java.io.Serializable;

/**
 * What one partition sends back for one step: its slice's loss sum and counts, its gradients (null
 * for an empty slice or a loss that is not finite), the model's buffers and generator states after
 * the slice, how long the work took there, and how long the task waited for the step's broadcast.
 */
record SliceResult(
    int partition,
    double lossSum,
    long terms,
    boolean sums,
    int examples,
    long positions,
    long correct,
    float[][] gradients,
    float[][] buffers,
    long[] random,
    long computeNanos,
    long fetchNanos,
    String executor,
    int attempt)
    implements Serializable {}

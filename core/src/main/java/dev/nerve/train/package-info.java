/**
 * Training, in three levels (Nielsen's {@code backprop}, {@code update_mini_batch}, {@code SGD}):
 *
 * <ol>
 *   <li>{@link dev.nerve.train.TrainingStep}: one batch, or one slice of a batch: forward, loss,
 *       backward; returns a {@link dev.nerve.train.StepResult} (loss sum, counts, gradients).
 *   <li>A {@link dev.nerve.train.GradientSource} gives the loop a batch's gradients: the local
 *       step, or workers' slices combined in a fixed order ({@link
 *       dev.nerve.train.StepResult#combine}); then clipping and the optimiser's step, the same
 *       either way.
 *   <li>{@link dev.nerve.train.Trainer}, the loop, drives epochs over any {@link
 *       dev.nerve.nn.Model} and applies its policies as small objects: the learning-rate schedule,
 *       validation ({@link dev.nerve.train.Evaluation}), {@link dev.nerve.train.EarlyStopping}, the
 *       divergence guard, and resuming from a {@link dev.nerve.train.TrainingState}.
 * </ol>
 *
 * <p>{@link dev.nerve.train.TrainingListener}s receive its events (checkpoints, progress, traces
 * are listeners; the model never prints); {@link dev.nerve.train.History} keeps the loss per
 * iteration and per epoch; {@link dev.nerve.train.Evaluation} measures loss, accuracy (per kept
 * position for sequences), a confusion matrix and regression metrics; {@link
 * dev.nerve.train.TraceRecorder} records every matrix of chosen iterations as a {@link
 * dev.nerve.train.Trace}, which the report module draws as the step-by-step walkthrough.
 */
package dev.nerve.train;

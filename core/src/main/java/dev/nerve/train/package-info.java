/**
 * Training: {@link dev.nerve.train.Trainer} runs epochs of forward pass, loss, backward pass and
 * optimiser step; {@link dev.nerve.train.TrainingListener}s receive its events; {@link
 * dev.nerve.train.History} keeps the loss per iteration and per epoch; {@link
 * dev.nerve.train.Evaluation} measures loss and accuracy; {@link dev.nerve.train.TraceRecorder}
 * records every matrix of chosen iterations as a {@link dev.nerve.train.Trace}, which the report
 * module draws as the step-by-step walkthrough.
 */
package dev.nerve.train;

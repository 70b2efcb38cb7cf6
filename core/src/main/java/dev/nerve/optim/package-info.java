/**
 * Optimisers: objects built from a list of parameters that update them from their gradients. {@link
 * dev.nerve.optim.Sgd} is gradient descent, {@code w -= lr * dL/dw}; {@link dev.nerve.optim.Adam},
 * {@link dev.nerve.optim.AdamW}, {@link dev.nerve.optim.RmsProp} and {@link
 * dev.nerve.optim.Adagrad} keep their own state. {@link dev.nerve.optim.LearningRateSchedule}
 * changes the rate per epoch; {@link dev.nerve.optim.ScheduleSpec} is a schedule as settings
 * (parsed, built and described in one place); {@link dev.nerve.optim.GradientClipping} bounds
 * gradients before a step.
 */
package dev.nerve.optim;

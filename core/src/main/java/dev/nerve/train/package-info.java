/**
 * Training: {@link dev.nerve.train.Trainer} runs epochs of forward pass, loss, backward pass and
 * optimiser step; {@link dev.nerve.train.TrainingListener}s receive its events; {@link
 * dev.nerve.train.History} keeps the loss per iteration and per epoch; {@link
 * dev.nerve.train.Evaluation} measures loss and accuracy.
 */
package dev.nerve.train;

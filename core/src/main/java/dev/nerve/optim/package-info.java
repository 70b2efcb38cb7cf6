/**
 * Optimisers: objects built from a list of parameters that update them from their gradients. {@link
 * dev.nerve.optim.Sgd} is gradient descent, {@code w -= lr * dL/dw}.
 */
package dev.nerve.optim;

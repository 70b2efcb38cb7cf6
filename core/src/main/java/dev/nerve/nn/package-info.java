/**
 * Layers and networks: {@link dev.nerve.nn.Dense}, the activations ({@link dev.nerve.nn.Sigmoid},
 * {@link dev.nerve.nn.Tanh}, {@link dev.nerve.nn.ReLU}, {@link dev.nerve.nn.LeakyReLU}, {@link
 * dev.nerve.nn.Softmax}, {@link dev.nerve.nn.Identity}), {@link dev.nerve.nn.Sequential}, {@link
 * dev.nerve.nn.Parameter} and {@link dev.nerve.nn.Init}.
 *
 * <p>Every layer keeps its forward and backward pass side by side. Forward propagation is {@code h
 * = f(x W + b)} layer after layer; backward propagation applies the chain rule in reverse: each
 * layer receives dL/d(output), adds dL/d(parameter) into its parameters' gradients, and passes
 * dL/d(input) back. Layers never see a learning rate: optimisers ({@link dev.nerve.optim}) update
 * parameters.
 */
package dev.nerve.nn;

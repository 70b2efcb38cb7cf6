/**
 * Nerve, a neural-network library in pure Java. {@link dev.nerve.Nerve} tells the library version;
 * the sub-packages hold tensors and kernels, layers, losses, optimisers, data, training and files.
 */
package dev.nerve;

/**
 * Files: {@link dev.nerve.io.Weights} (a network's weights as readable JSON, to compare runs number
 * for number), {@link dev.nerve.io.ModelSpec} (a network described in JSON, read, written, checked
 * and built by looping over the registry of layer types, {@link dev.nerve.nn.LayerTypes}), {@link
 * dev.nerve.io.ModelFile} (spec, weights, normalisation, column encoding and metadata together, a
 * zip archive whose layout {@code ModelArchive} keeps), {@link dev.nerve.io.Checkpoints} and {@link
 * dev.nerve.io.TrainingStateFile} (resumable runs), all written atomically by {@link
 * dev.nerve.io.AtomicFiles}. {@link dev.nerve.io.Json} is a small strict JSON reader and writer so
 * that the core needs nothing beyond the JDK. No Java serialization.
 */
package dev.nerve.io;

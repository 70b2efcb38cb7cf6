/**
 * Files: {@link dev.nerve.io.Weights} (a network's weights as readable JSON, to compare runs number
 * for number), {@link dev.nerve.io.ModelSpec} (a network described in JSON), {@link
 * dev.nerve.io.ModelFile} (spec, weights and metadata together), all written atomically by {@link
 * dev.nerve.io.AtomicFiles}. {@link dev.nerve.io.Json} is a small strict JSON reader and writer so
 * that the core needs nothing beyond the JDK. No Java serialization.
 */
package dev.nerve.io;

package dev.nerve.nn;

/**
 * The settings of a layer type that has none (the activations, {@link Flatten}, {@link
 * GlobalAvgPool2d}): only the type.
 *
 * @param type the layer type
 */
public record NoSettings(LayerType<NoSettings, ?> type) implements LayerSettings {}

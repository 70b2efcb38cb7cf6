package dev.nerve.nn;

/**
 * The settings of one layer as a network description holds them: a record declared beside its layer
 * (such as {@link Dense.Settings}), every setting present, which knows its {@link LayerType}.
 * Settings describe a layer without building it: its parameters are not allocated until {@link
 * LayerType#build} is asked for.
 */
public interface LayerSettings {
  /** The layer type these settings are for. */
  LayerType<?, ?> type();
}

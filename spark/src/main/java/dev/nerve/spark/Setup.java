package dev.nerve.spark;

import java.io.Serializable;

/**
 * What the driver broadcasts once per run: the network's description (the model file's JSON) and
 * the loss's name, from which every executor builds its own copy of the model.
 */
record Setup(String runId, String network, String loss) implements Serializable {}

/**
 * The step-by-step backpropagation walkthrough: {@link dev.nerve.report.trace.Walkthrough} tells a
 * {@link dev.nerve.train.Trace} as the first tutorial's steps 0 to 11, {@link
 * dev.nerve.report.trace.TracePage} draws it as one self-contained HTML page (cells that highlight
 * their sources, a slider over iterations, the loss curve, a gradient check table) and {@link
 * dev.nerve.report.trace.TraceText} prints it for a terminal. Each layer is explained by the {@link
 * dev.nerve.report.trace.LayerExplainer} registered for its class in {@link
 * dev.nerve.report.trace.Explainers} (dense, convolution, activations, pools, flatten, softmax); a
 * layer without one gets the default, which shows its input, output, error and parameters. The
 * page's script knows operations (matmul, conv, pool, map, ...), never layer types, so a new layer
 * needs nothing in it.
 *
 * <pre>{@code
 * TraceRecorder recorder = TraceRecorder.spread(5000, 8);
 * Tutorial1.trainer(net).listener(recorder).build().fit(Tutorial1.data());
 * TracePage.write(recorder.trace(), "Tutorial 1", Path.of("trace.html"));
 * }</pre>
 */
package dev.nerve.report.trace;

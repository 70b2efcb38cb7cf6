/**
 * The step-by-step backpropagation walkthrough: {@link dev.nerve.report.trace.Walkthrough} tells a
 * {@link dev.nerve.train.Trace} as the first tutorial's steps 0 to 11, {@link
 * dev.nerve.report.trace.TracePage} draws it as one self-contained HTML page (cells that highlight
 * their sources, a slider over iterations, the loss curve, a gradient check table) and {@link
 * dev.nerve.report.trace.TraceText} prints it for a terminal.
 *
 * <pre>{@code
 * TraceRecorder recorder = TraceRecorder.spread(5000, 8);
 * Tutorial1.trainer(net).listener(recorder).build().fit(Tutorial1.data());
 * TracePage.write(recorder.trace(), "Tutorial 1", Path.of("trace.html"));
 * }</pre>
 */
package dev.nerve.report.trace;

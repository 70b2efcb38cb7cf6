/**
 * Layers and networks: {@link dev.nerve.nn.Dense}, {@link dev.nerve.nn.Conv2d}, the pools, {@link
 * dev.nerve.nn.Flatten}, {@link dev.nerve.nn.Dropout}, {@link dev.nerve.nn.BatchNorm}, the
 * activations ({@link dev.nerve.nn.Sigmoid}, {@link dev.nerve.nn.Tanh}, {@link dev.nerve.nn.ReLU},
 * ...), {@link dev.nerve.nn.Softmax}, the composite {@link dev.nerve.nn.Residual} and {@link
 * dev.nerve.nn.Sequential}; {@link dev.nerve.nn.Parameter}, {@link dev.nerve.nn.Buffer}, {@link
 * dev.nerve.nn.Init}, and the registry of layer types, {@link dev.nerve.nn.LayerTypes}.
 *
 * <p>Every layer keeps its forward and backward pass side by side. Forward propagation is {@code h
 * = f(x W + b)} layer after layer; backward propagation applies the chain rule in reverse: each
 * layer receives dL/d(output), adds dL/d(parameter) into its parameters' gradients, and passes
 * dL/d(input) back. Layers never see a learning rate: optimisers ({@link dev.nerve.optim}) update
 * parameters. A layer owns all its state: parameters, buffers (saved, never trained) and the state
 * of its random generators. The training loop trains a {@link dev.nerve.nn.Model}, which {@code
 * Sequential} is.
 *
 * <h2>Adding a layer</h2>
 *
 * <p>A layer type is one file, as in PyTorch; {@link dev.nerve.nn.Residual} was added this way and
 * is the example to copy. For a layer {@code Foo} with JSON name {@code "foo"}:
 *
 * <ol>
 *   <li><b>The layer.</b> {@code public final class Foo implements Layer}: {@code outputShape},
 *       {@code forward(x, training)} (in training mode keep only what backward needs; in inference
 *       mode keep nothing, so several threads may predict at once) and {@code backward(dy)} next to
 *       it, adding into each {@link dev.nerve.nn.Parameter#grad()} (or writing it when {@link
 *       dev.nerve.nn.Parameter#takeZeroGrad()} says the gradient was just cleared). Override {@code
 *       parameters()}, {@code buffers()} (values saved but not trained), {@code randomState()} and
 *       {@code restoreRandomState} (a layer that draws random numbers while training), {@code
 *       initialize(rng)} (and {@code initialize(rng, next)} to look at the layer that follows),
 *       {@code reluLike()} for a ReLU-like activation, {@code trainsAsItPredicts()} if training
 *       computes another function than inference. An element-wise activation extends {@link
 *       dev.nerve.nn.Activation} and only gives its formula, its slope and two loops. A composite
 *       layer returns its layers from {@code children()}: its parameters, buffers, saved names
 *       ({@code 0.weight}) and random state then come from them by default.
 *   <li><b>Its settings and type, in the same file.</b> A {@code public record Settings(...)
 *       implements LayerSettings} with a field per setting (and constructors for the common
 *       defaults), and {@code public static final LayerType<Settings, Foo> TYPE = new
 *       LayerType<>("foo", Foo.class, Settings.class) {...}} with {@code read} (ask a {@link
 *       dev.nerve.nn.SettingsReader} for every key, giving defaults; unknown keys are then refused
 *       for you), {@code write} (every setting, in the same keys), {@code describe} (a built layer
 *       back into settings), {@code sizes} (output shape, parameter and buffer counts <em>by
 *       arithmetic only</em>, so that a hostile file is refused before anything is allocated; start
 *       messages with the type's name, the registry adds the layer's place) and {@code build}. A
 *       layer without settings uses {@link dev.nerve.nn.LayerType#plain}.
 *   <li><b>One line in {@link dev.nerve.nn.LayerTypes}</b>: {@code Foo.TYPE} in its list. The
 *       network JSON, model files, weights files, checkpoints and {@code ModelSpec.describe} now
 *       know it.
 *   <li><b>Tests</b>: a gradient check with {@code dev.nerve.testing.GradientCheck} (input and
 *       every parameter), the JSON read and written back, a model file saved and loaded predicting
 *       the same bits, its settings' mistakes named; values from PyTorch with the script that made
 *       them, where there is a PyTorch equivalent.
 *   <li><b>Docs</b>: its settings in {@code ModelSpec}'s list and the README's layer list.
 * </ol>
 *
 * <p>The walkthrough ({@code nerve trace}) explains a layer it has no tailored explainer for by
 * showing its input, output, error and parameters; a tailored one (cell-by-cell arithmetic) is a
 * {@code LayerExplainer} registered in {@code dev.nerve.report.trace.Explainers}, one more line.
 */
package dev.nerve.nn;

/**
 * The {@code nerve} command: {@link dev.nerve.cli.Main} with the sub-commands {@code train}, {@code
 * trace}, {@code predict}, {@code evaluate} and {@code inspect}. Built on picocli (options, help,
 * usage errors) and Commons CSV (data files); everything else comes from the core. Command classes
 * only read options and print: {@code train} and {@code trace} share one {@code TrainOptions} mixin
 * and one {@code TrainingRun} (data from {@code TrainingData}, network, resume, trainer, outputs),
 * {@code trace} adding its recorder. Errors become one line and a documented exit code; no file is
 * replaced without {@code --force}, and every file is written atomically.
 */
package dev.nerve.cli;

/**
 * The {@code nerve} command: {@link dev.nerve.cli.Main} with the sub-commands {@code train}, {@code
 * predict} and {@code evaluate}. Built on picocli (options, help, usage errors) and Commons CSV
 * (data files); everything else comes from the core. Errors become one line and a documented exit
 * code; no file is replaced without {@code --force}, and every file is written atomically.
 */
package dev.nerve.cli;

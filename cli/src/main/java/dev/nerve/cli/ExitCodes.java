package dev.nerve.cli;

/** The exit codes of {@code nerve}, listed in every command's help and in the README. */
final class ExitCodes {
  /** Success. */
  static final int OK = 0;

  /** Reading or writing a file failed (missing, unreadable, disk full). */
  static final int IO = 1;

  /** Bad command-line arguments. */
  static final int USAGE = 2;

  /** An input file is malformed or does not fit: CSV, network JSON, weights or model file. */
  static final int BAD_INPUT = 3;

  /** Training diverged: the loss became NaN or infinite. */
  static final int DIVERGED = 4;

  /** An output file exists and --force was not given. */
  static final int EXISTS = 5;

  static final String HELP =
      "%nExit codes: 0 success, 1 file could not be read or written,"
          + " 2 bad arguments, 3 malformed or mismatched input file, 4 training diverged,"
          + " 5 output exists (use --force).";

  private ExitCodes() {}
}

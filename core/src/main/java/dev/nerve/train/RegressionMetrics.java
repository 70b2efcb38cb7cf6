package dev.nerve.train;

/**
 * How close predictions are to real-valued targets, averaged over every output column as
 * scikit-learn's defaults do.
 *
 * @param mse mean squared error, {@code mean((p - y)^2)}
 * @param mae mean absolute error, {@code mean(|p - y|)}
 * @param r2 coefficient of determination, {@code 1 - SSE/SST} per column then averaged; 1 is a
 *     perfect fit, 0 is no better than predicting the mean, NaN when a column's targets are
 *     constant
 */
public record RegressionMetrics(double mse, double mae, double r2) {}

package dev.nerve.report;

/**
 * Regression metrics on one data set. NaN shows as a dash.
 *
 * <p>MSE = mean (y − t)², MAE = mean |y − t|, R² = 1 − Σ(y − t)² / Σ(t − mean t)².
 *
 * @param setName which data set, for example {@code test}; null shows as empty
 * @param mse the mean squared error
 * @param mae the mean absolute error
 * @param r2 the coefficient of determination
 */
public record Regression(String setName, double mse, double mae, double r2) {}

package dev.nerve.optim;

import dev.nerve.nn.Parameter;
import java.util.List;

/**
 * Limits gradients before an optimiser step, against the occasional huge gradient that would throw
 * a network far off. The trainer applies it when asked ({@code Trainer.Builder.clipGradientNorm},
 * {@code clipGradientValue}); the formulas are PyTorch's {@code clip_grad_norm_} and {@code
 * clip_grad_value_}.
 */
public final class GradientClipping {
  private GradientClipping() {}

  /**
   * Scales all gradients together so that their global L2 norm is at most {@code maxNorm}: if
   * {@code ||g|| > maxNorm}, every gradient is multiplied by {@code maxNorm / (||g|| + 1e-6)}.
   *
   * @param parameters whose gradients are clipped; modified
   * @return the global norm before clipping
   * @throws IllegalArgumentException if {@code maxNorm} is not positive and finite
   */
  public static double clipByGlobalNormInPlace(List<Parameter> parameters, float maxNorm) {
    if (!(maxNorm > 0f) || !Float.isFinite(maxNorm)) {
      throw new IllegalArgumentException("maximum gradient norm must be positive, got " + maxNorm);
    }
    double sum = 0;
    for (Parameter p : parameters) {
      for (float g : p.grad().data()) {
        sum += (double) g * g;
      }
    }
    double norm = Math.sqrt(sum);
    double coef = maxNorm / (norm + 1e-6);
    if (coef < 1) {
      for (Parameter p : parameters) {
        p.grad().scaleInPlace((float) coef);
      }
    }
    return norm;
  }

  /**
   * Clamps every gradient value into {@code [-limit, limit]}.
   *
   * @param parameters whose gradients are clipped; modified
   * @throws IllegalArgumentException if {@code limit} is not positive and finite
   */
  public static void clipByValueInPlace(List<Parameter> parameters, float limit) {
    if (!(limit > 0f) || !Float.isFinite(limit)) {
      throw new IllegalArgumentException("gradient clip value must be positive, got " + limit);
    }
    for (Parameter p : parameters) {
      float[] g = p.grad().data();
      for (int i = 0; i < g.length; i++) {
        g[i] = Math.max(-limit, Math.min(limit, g[i]));
      }
    }
  }
}

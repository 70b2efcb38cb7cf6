package dev.nerve.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Convs} on the Vector API, loaded through {@link VectorModule} only. A plane is cut into
 * vectors of a lane-width of columns ("positions"). Forward: the image is copied into a
 * zero-bordered buffer, and a register block of output channels × positions (4 × 4, 4 × 5 or 3 × 5,
 * whichever repeats the fewest at the edges) is accumulated over every tap, each tap one load per
 * position and one broadcast weight per channel for 12 to 20 fused multiply-adds. Input gradient:
 * the output gradient is copied into a buffer with a border of k - 1 - pad zeros, so that every tap
 * of every input position reads inside it; a register block of 2 input channels × 4 or 5 positions
 * holds its sums while, tap by tap in order, each element's chain over the output channels is built
 * from 0 and added on (the sums never go through memory, whose read-modify-write of overlapping
 * vectors stalled an earlier version on store forwarding).
 *
 * <p>Lanes past a row's end compute on whatever lies there and are never kept: stores that spill
 * into the next row of the same plane are overwritten by that row's own store, which comes later; a
 * plane's last vector is copied lane by lane. The accumulators leave a block through a small array:
 * vectors handed to a method that is not inlined would be boxed, and a loop nest over the taps made
 * C2 box them too (hence one loop over precomputed tap offsets).
 */
final class VectorConvs implements ConvKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private static final class Scratch {
    float[] image = new float[0];
    int[] backTaps = new int[0];
    float[] images = new float[0];

    final float[] tile = new float[20 * L];
    int[] taps = new int[0];
    int[] posOut = new int[0];
    int[] posIn = new int[0];
    int posRows = -1;
    int posCols;
    int posWidth;
    int tapKernel;
    int tapPlane;
    int tapWidth;

    float[] image(int size) {
      if (image.length < size) {
        image = new float[size];
      }
      return image;
    }

    float[] images(int size) {
      if (images.length < size) {
        images = new float[size];
      }
      return images;
    }

    int[] backTaps(int n) {
      if (backTaps.length != n) {
        backTaps = new int[n];
      }
      return backTaps;
    }
  }

  /** Each tap's offset in the bordered image, in the order of the weights' taps. */
  private static int[] taps(Scratch s, int c, int k, int plane, int wp) {
    int n = c * k * k;
    if (s.taps.length != n || s.tapKernel != k || s.tapPlane != plane || s.tapWidth != wp) {
      s.taps = new int[n];
      s.tapKernel = k;
      s.tapPlane = plane;
      s.tapWidth = wp;
      int t = 0;
      for (int ch = 0; ch < c; ch++) {
        for (int i = 0; i < k; i++) {
          for (int j = 0; j < k; j++) {
            s.taps[t++] = ch * plane + i * wp + j;
          }
        }
      }
    }
    return s.taps;
  }

  /**
   * A plane of {@code rows × cols} (the one written) cut into vectors of L columns ("positions",
   * row by row): each one's offset in that plane ({@code posOut}) and in a plane whose rows are
   * {@code width} floats apart (the bordered one read, {@code posIn}). Kept per thread for the last
   * geometry: divisions per position cost more than the arithmetic.
   */
  private static void positions(Scratch s, int rows, int cols, int width) {
    if (s.posRows == rows && s.posCols == cols && s.posWidth == width) {
      return;
    }
    int perRow = (cols + L - 1) / L;
    int n = rows * perRow;
    s.posOut = new int[n];
    s.posIn = new int[n];
    for (int v = 0; v < n; v++) {
      int oy = v / perRow;
      int x0 = v % perRow * L;
      s.posOut[v] = oy * cols + x0;
      s.posIn[v] = oy * width + x0;
    }
    s.posRows = rows;
    s.posCols = cols;
    s.posWidth = width;
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  VectorConvs() {}

  /** The image {@code [c, h, w]} with {@code pad} zeros around each plane, and L floats spare. */
  private static float[] bordered(Scratch s, float[] x, int xOff, int c, int h, int w, int pad) {
    float[] xp = s.image(c * (h + 2 * pad) * (w + 2 * pad) + L);
    border(x, xOff, c, h, w, pad, xp, 0);
    return xp;
  }

  /** Writes the image at {@code x[xOff..]} with its zero border into {@code xp[at..]}. */
  private static void border(
      float[] x, int xOff, int c, int h, int w, int pad, float[] xp, int at) {
    int hp = h + 2 * pad;
    int wp = w + 2 * pad;
    if (pad > 0) {
      java.util.Arrays.fill(xp, at, at + c * hp * wp, 0f);
    }
    for (int ch = 0; ch < c; ch++) {
      for (int r = 0; r < h; r++) {
        System.arraycopy(x, xOff + (ch * h + r) * w, xp, at + (ch * hp + r + pad) * wp + pad, w);
      }
    }
  }

  @Override
  public void forward(
      float[] x,
      int from,
      int to,
      int c,
      int h,
      int w,
      float[] weight,
      float[] bias,
      int out,
      int k,
      int pad,
      float[] y) {
    int hp = h + 2 * pad;
    int wp = w + 2 * pad;
    int oh = hp - k + 1;
    int ow = wp - k + 1;
    Scratch s = SCRATCH.get();
    positions(s, oh, ow, wp);
    int[] taps = taps(s, c, k, hp * wp, wp);
    int perRow = (ow + L - 1) / L;
    int positions = oh * perRow;
    // The register block that computes the fewest repeated channels and positions: 4 × 4, 4 × 5
    // or 3 × 5 (channels × positions).
    int group = 4;
    int per = 4;
    long fewest = blocked(out, 4) * blocked(positions, 4);
    if (blocked(out, 4) * blocked(positions, 5) < fewest) {
      per = 5;
      fewest = blocked(out, 4) * blocked(positions, 5);
    }
    if (blocked(out, 3) * blocked(positions, 5) < fewest) {
      group = 3;
      per = 5;
    }
    for (int img = from; img < to; img++) {
      float[] xp = bordered(s, x, img * c * h * w, c, h, w, pad);
      Block b =
          new Block(
              xp,
              hp * wp,
              weight,
              c * k * k,
              bias,
              y,
              img * out * oh * ow,
              oh * ow,
              s.posOut,
              s.posIn,
              taps,
              s.tile);
      for (int o0 = 0; o0 < out; o0 += group) {
        int channels = Math.min(group, out - o0);
        for (int v0 = 0; v0 < positions; v0 += per) {
          int np = Math.min(per, positions - v0);
          if (group == 3) {
            b.run35(o0, channels, v0, np);
          } else if (per == 5) {
            b.run45(o0, channels, v0, np);
          } else {
            b.run44(o0, channels, v0, np);
          }
        }
      }
    }
  }

  /** {@code n} rounded up to whole blocks of {@code size}. */
  private static long blocked(int n, int size) {
    return (long) (n + size - 1) / size * size;
  }

  /** One image's forward: the settings of every register block. */
  private record Block(
      float[] xp,
      int plane,
      float[] weight,
      int ck,
      float[] bias,
      float[] y,
      int yOff,
      int planeOut,
      int[] posOut,
      int[] posIn,
      int[] taps,
      float[] tile) {

    /**
     * Channels {@code o0 ..} ({@code nc} of at most 4) at positions {@code v0 ..} ({@code np} of at
     * most 4); blocks at the edge repeat their last channel or position, and the repeats are not
     * stored.
     */
    void run44(int o0, int nc, int v0, int np) {
      int w0 = o0 * ck;
      int w1 = (o0 + Math.min(1, nc - 1)) * ck;
      int w2 = (o0 + Math.min(2, nc - 1)) * ck;
      int w3 = (o0 + Math.min(3, nc - 1)) * ck;
      int i0 = posIn[v0];
      int i1 = posIn[v0 + Math.min(1, np - 1)];
      int i2 = posIn[v0 + Math.min(2, np - 1)];
      int i3 = posIn[v0 + Math.min(3, np - 1)];
      FloatVector a00 = FloatVector.zero(S);
      FloatVector a01 = a00;
      FloatVector a02 = a00;
      FloatVector a03 = a00;
      FloatVector a10 = a00;
      FloatVector a11 = a00;
      FloatVector a12 = a00;
      FloatVector a13 = a00;
      FloatVector a20 = a00;
      FloatVector a21 = a00;
      FloatVector a22 = a00;
      FloatVector a23 = a00;
      FloatVector a30 = a00;
      FloatVector a31 = a00;
      FloatVector a32 = a00;
      FloatVector a33 = a00;
      for (int t = 0; t < taps.length; t++) {
        int at = taps[t];
        FloatVector x0 = FloatVector.fromArray(S, xp, at + i0);
        FloatVector x1 = FloatVector.fromArray(S, xp, at + i1);
        FloatVector x2 = FloatVector.fromArray(S, xp, at + i2);
        FloatVector x3 = FloatVector.fromArray(S, xp, at + i3);
        FloatVector k0 = FloatVector.broadcast(S, weight[w0 + t]);
        a00 = k0.fma(x0, a00);
        a01 = k0.fma(x1, a01);
        a02 = k0.fma(x2, a02);
        a03 = k0.fma(x3, a03);
        FloatVector k1 = FloatVector.broadcast(S, weight[w1 + t]);
        a10 = k1.fma(x0, a10);
        a11 = k1.fma(x1, a11);
        a12 = k1.fma(x2, a12);
        a13 = k1.fma(x3, a13);
        FloatVector k2 = FloatVector.broadcast(S, weight[w2 + t]);
        a20 = k2.fma(x0, a20);
        a21 = k2.fma(x1, a21);
        a22 = k2.fma(x2, a22);
        a23 = k2.fma(x3, a23);
        FloatVector k3 = FloatVector.broadcast(S, weight[w3 + t]);
        a30 = k3.fma(x0, a30);
        a31 = k3.fma(x1, a31);
        a32 = k3.fma(x2, a32);
        a33 = k3.fma(x3, a33);
      }
      a00.intoArray(tile, 0);
      a01.intoArray(tile, 1 * L);
      a02.intoArray(tile, 2 * L);
      a03.intoArray(tile, 3 * L);
      a10.intoArray(tile, 4 * L);
      a11.intoArray(tile, 5 * L);
      a12.intoArray(tile, 6 * L);
      a13.intoArray(tile, 7 * L);
      a20.intoArray(tile, 8 * L);
      a21.intoArray(tile, 9 * L);
      a22.intoArray(tile, 10 * L);
      a23.intoArray(tile, 11 * L);
      a30.intoArray(tile, 12 * L);
      a31.intoArray(tile, 13 * L);
      a32.intoArray(tile, 14 * L);
      a33.intoArray(tile, 15 * L);
      storeBlock(o0, nc, v0, np, 4);
    }

    /** The same with 4 channels × 5 positions (LeNet-5's second layer: 10 positions a plane). */
    void run45(int o0, int nc, int v0, int np) {
      int w0 = o0 * ck;
      int w1 = (o0 + Math.min(1, nc - 1)) * ck;
      int w2 = (o0 + Math.min(2, nc - 1)) * ck;
      int w3 = (o0 + Math.min(3, nc - 1)) * ck;
      int i0 = posIn[v0];
      int i1 = posIn[v0 + Math.min(1, np - 1)];
      int i2 = posIn[v0 + Math.min(2, np - 1)];
      int i3 = posIn[v0 + Math.min(3, np - 1)];
      int i4 = posIn[v0 + Math.min(4, np - 1)];
      FloatVector a00 = FloatVector.zero(S);
      FloatVector a01 = a00;
      FloatVector a02 = a00;
      FloatVector a03 = a00;
      FloatVector a04 = a00;
      FloatVector a10 = a00;
      FloatVector a11 = a00;
      FloatVector a12 = a00;
      FloatVector a13 = a00;
      FloatVector a14 = a00;
      FloatVector a20 = a00;
      FloatVector a21 = a00;
      FloatVector a22 = a00;
      FloatVector a23 = a00;
      FloatVector a24 = a00;
      FloatVector a30 = a00;
      FloatVector a31 = a00;
      FloatVector a32 = a00;
      FloatVector a33 = a00;
      FloatVector a34 = a00;
      for (int t = 0; t < taps.length; t++) {
        int at = taps[t];
        FloatVector x0 = FloatVector.fromArray(S, xp, at + i0);
        FloatVector x1 = FloatVector.fromArray(S, xp, at + i1);
        FloatVector x2 = FloatVector.fromArray(S, xp, at + i2);
        FloatVector x3 = FloatVector.fromArray(S, xp, at + i3);
        FloatVector x4 = FloatVector.fromArray(S, xp, at + i4);
        FloatVector k0 = FloatVector.broadcast(S, weight[w0 + t]);
        a00 = k0.fma(x0, a00);
        a01 = k0.fma(x1, a01);
        a02 = k0.fma(x2, a02);
        a03 = k0.fma(x3, a03);
        a04 = k0.fma(x4, a04);
        FloatVector k1 = FloatVector.broadcast(S, weight[w1 + t]);
        a10 = k1.fma(x0, a10);
        a11 = k1.fma(x1, a11);
        a12 = k1.fma(x2, a12);
        a13 = k1.fma(x3, a13);
        a14 = k1.fma(x4, a14);
        FloatVector k2 = FloatVector.broadcast(S, weight[w2 + t]);
        a20 = k2.fma(x0, a20);
        a21 = k2.fma(x1, a21);
        a22 = k2.fma(x2, a22);
        a23 = k2.fma(x3, a23);
        a24 = k2.fma(x4, a24);
        FloatVector k3 = FloatVector.broadcast(S, weight[w3 + t]);
        a30 = k3.fma(x0, a30);
        a31 = k3.fma(x1, a31);
        a32 = k3.fma(x2, a32);
        a33 = k3.fma(x3, a33);
        a34 = k3.fma(x4, a34);
      }
      a00.intoArray(tile, 0);
      a01.intoArray(tile, 1 * L);
      a02.intoArray(tile, 2 * L);
      a03.intoArray(tile, 3 * L);
      a04.intoArray(tile, 4 * L);
      a10.intoArray(tile, 5 * L);
      a11.intoArray(tile, 6 * L);
      a12.intoArray(tile, 7 * L);
      a13.intoArray(tile, 8 * L);
      a14.intoArray(tile, 9 * L);
      a20.intoArray(tile, 10 * L);
      a21.intoArray(tile, 11 * L);
      a22.intoArray(tile, 12 * L);
      a23.intoArray(tile, 13 * L);
      a24.intoArray(tile, 14 * L);
      a30.intoArray(tile, 15 * L);
      a31.intoArray(tile, 16 * L);
      a32.intoArray(tile, 17 * L);
      a33.intoArray(tile, 18 * L);
      a34.intoArray(tile, 19 * L);
      storeBlock(o0, nc, v0, np, 5);
    }

    /** The same with 3 channels × 5 positions (LeNet-5's first layer: 6 channels). */
    void run35(int o0, int nc, int v0, int np) {
      int w0 = o0 * ck;
      int w1 = (o0 + Math.min(1, nc - 1)) * ck;
      int w2 = (o0 + Math.min(2, nc - 1)) * ck;
      int i0 = posIn[v0];
      int i1 = posIn[v0 + Math.min(1, np - 1)];
      int i2 = posIn[v0 + Math.min(2, np - 1)];
      int i3 = posIn[v0 + Math.min(3, np - 1)];
      int i4 = posIn[v0 + Math.min(4, np - 1)];
      FloatVector a00 = FloatVector.zero(S);
      FloatVector a01 = a00;
      FloatVector a02 = a00;
      FloatVector a03 = a00;
      FloatVector a04 = a00;
      FloatVector a10 = a00;
      FloatVector a11 = a00;
      FloatVector a12 = a00;
      FloatVector a13 = a00;
      FloatVector a14 = a00;
      FloatVector a20 = a00;
      FloatVector a21 = a00;
      FloatVector a22 = a00;
      FloatVector a23 = a00;
      FloatVector a24 = a00;
      for (int t = 0; t < taps.length; t++) {
        int at = taps[t];
        FloatVector x0 = FloatVector.fromArray(S, xp, at + i0);
        FloatVector x1 = FloatVector.fromArray(S, xp, at + i1);
        FloatVector x2 = FloatVector.fromArray(S, xp, at + i2);
        FloatVector x3 = FloatVector.fromArray(S, xp, at + i3);
        FloatVector x4 = FloatVector.fromArray(S, xp, at + i4);
        FloatVector k0 = FloatVector.broadcast(S, weight[w0 + t]);
        a00 = k0.fma(x0, a00);
        a01 = k0.fma(x1, a01);
        a02 = k0.fma(x2, a02);
        a03 = k0.fma(x3, a03);
        a04 = k0.fma(x4, a04);
        FloatVector k1 = FloatVector.broadcast(S, weight[w1 + t]);
        a10 = k1.fma(x0, a10);
        a11 = k1.fma(x1, a11);
        a12 = k1.fma(x2, a12);
        a13 = k1.fma(x3, a13);
        a14 = k1.fma(x4, a14);
        FloatVector k2 = FloatVector.broadcast(S, weight[w2 + t]);
        a20 = k2.fma(x0, a20);
        a21 = k2.fma(x1, a21);
        a22 = k2.fma(x2, a22);
        a23 = k2.fma(x3, a23);
        a24 = k2.fma(x4, a24);
      }
      a00.intoArray(tile, 0);
      a01.intoArray(tile, 1 * L);
      a02.intoArray(tile, 2 * L);
      a03.intoArray(tile, 3 * L);
      a04.intoArray(tile, 4 * L);
      a10.intoArray(tile, 5 * L);
      a11.intoArray(tile, 6 * L);
      a12.intoArray(tile, 7 * L);
      a13.intoArray(tile, 8 * L);
      a14.intoArray(tile, 9 * L);
      a20.intoArray(tile, 10 * L);
      a21.intoArray(tile, 11 * L);
      a22.intoArray(tile, 12 * L);
      a23.intoArray(tile, 13 * L);
      a24.intoArray(tile, 14 * L);
      storeBlock(o0, nc, v0, np, 5);
    }

    /** Each channel's positions of a block, in increasing order (see the class comment). */
    private void storeBlock(int o0, int nc, int v0, int np, int per) {
      for (int q = 0; q < nc; q++) {
        int base = yOff + (o0 + q) * planeOut;
        float add = bias == null ? 0f : bias[o0 + q];
        for (int u = 0; u < np; u++) {
          store(base, v0 + u, (per * q + u) * L, add);
        }
      }
    }

    private void store(int base, int p, int from, float add) {
      FloatVector v = FloatVector.fromArray(S, tile, from);
      if (bias != null) {
        v = v.add(add);
      }
      int at = posOut[p];
      if (at + L <= planeOut) {
        v.intoArray(y, base + at);
      } else {
        v.intoArray(tile, from);
        System.arraycopy(tile, from, y, base + at, planeOut - at);
      }
    }
  }

  @Override
  public void columns(
      float[] x,
      int xOff,
      int count,
      int c,
      int h,
      int w,
      int k,
      int pad,
      int r0,
      int r1,
      float[] b,
      int ldb) {
    int hp = h + 2 * pad;
    int wp = w + 2 * pad;
    int oh = hp - k + 1;
    int ow = wp - k + 1;
    int p = oh * ow;
    int plane = hp * wp;
    Scratch s = SCRATCH.get();
    int[] taps = taps(s, c, k, plane, wp);
    int image = c * plane;
    float[] xp = s.images(count * image + L);
    for (int m = 0; m < count; m++) {
      border(x, xOff + m * c * h * w, c, h, w, pad, xp, m * image);
    }
    int kk = k * k;
    for (int r = r0; r < r1; r++) {
      int row = (r - r0) * ldb;
      if (r % kk >= k && r - k >= r0) {
        // Tap (i, j) reads, at each output row, what tap (i - 1, j) reads one output row
        // further: its row of columns shifted by one output row, in one copy, but for each
        // image's last output row, which the shift took from the next image: from the input.
        System.arraycopy(b, row - k * ldb + ow, b, row, count * p - ow);
        for (int m = 0; m < count; m++) {
          System.arraycopy(
              xp, m * image + taps[r] + (oh - 1) * wp, b, row + m * p + (oh - 1) * ow, ow);
        }
        continue;
      }
      // Whole vectors, whose lanes past a stretch land where later stretches of the row go; near
      // the row's end, where a vector would overrun into the next row, by copy.
      int end = row + count * p;
      for (int m = 0; m < count; m++) {
        int src = m * image + taps[r];
        int dst = row + m * p;
        for (int oy = 0; oy < oh; oy++, src += wp, dst += ow) {
          int q = 0;
          for (; q < ow && dst + q + L <= end; q += L) {
            FloatVector.fromArray(S, xp, src + q).intoArray(b, dst + q);
          }
          if (q < ow) {
            System.arraycopy(xp, src + q, b, dst + q, ow - q);
          }
        }
      }
    }
  }

  @Override
  public void backwardInput(
      float[] dy,
      int dyOff,
      int out,
      float[] weight,
      int c,
      int h,
      int w,
      int k,
      int pad,
      float[] dx,
      int dxOff) {
    int oh = h + 2 * pad - k + 1;
    int ow = w + 2 * pad - k + 1;
    int border = k - 1 - pad; // Convs.direct admits pad ≤ k - 1
    int yp = oh + 2 * border;
    int xp = ow + 2 * border;
    int plane = yp * xp;
    Scratch s = SCRATCH.get();
    // The output gradient with a border of zeros wide enough that every tap of every input
    // position reads inside it, and L floats spare.
    float[] g = s.image(out * plane + L);
    java.util.Arrays.fill(g, 0, out * plane + L, 0f);
    for (int o = 0; o < out; o++) {
      for (int r = 0; r < oh; r++) {
        System.arraycopy(dy, dyOff + (o * oh + r) * ow, g, (o * yp + r + border) * xp + border, ow);
      }
    }
    positions(s, h, w, xp);
    int kk = k * k;
    int[] taps = s.backTaps(kk);
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        taps[i * k + j] = (k - 1 - i) * xp + (k - 1 - j);
      }
    }
    int perRow = (w + L - 1) / L;
    int positions = h * perRow;
    Spread b =
        new Spread(
            g, plane, out, weight, c * kk, kk, taps, dx, dxOff, h * w, s.posOut, s.posIn, s.tile);
    int per = blocked(positions, 5) < blocked(positions, 4) ? 5 : 4;
    for (int ch = 0; ch < c; ch += 2) {
      int pair = Math.min(2, c - ch);
      for (int v0 = 0; v0 < positions; v0 += per) {
        int np = Math.min(per, positions - v0);
        if (per == 5) {
          b.run25(ch, pair, v0, np);
        } else {
          b.run24(ch, pair, v0, np);
        }
      }
    }
  }

  /** One image's input gradient: the settings of every register block. */
  private record Spread(
      float[] g,
      int plane,
      int out,
      float[] weight,
      int ck,
      int kk,
      int[] taps,
      float[] dx,
      int dxOff,
      int planeIn,
      int[] posOut,
      int[] posIn,
      float[] tile) {

    /**
     * Input channels {@code ch ..} ({@code nc}, 1 or 2) at positions {@code v0 ..} ({@code np}, at
     * most 4): per tap in order, each element's chain over the output channels from 0, added to its
     * sum.
     */
    void run24(int ch, int nc, int v0, int np) {
      int i0 = posIn[v0];
      int i1 = posIn[v0 + Math.min(1, np - 1)];
      int i2 = posIn[v0 + Math.min(2, np - 1)];
      int i3 = posIn[v0 + Math.min(3, np - 1)];
      int wa = ch * kk;
      int wb = (ch + Math.min(1, nc - 1)) * kk;
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = s0;
      FloatVector s2 = s0;
      FloatVector s3 = s0;
      FloatVector r0 = s0;
      FloatVector r1 = s0;
      FloatVector r2 = s0;
      FloatVector r3 = s0;
      for (int t = 0; t < kk; t++) {
        int off = taps[t];
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        for (int o = 0, go = off, wo = t; o < out; o++, go += plane, wo += ck) {
          FloatVector u = FloatVector.broadcast(S, weight[wo + wa]);
          FloatVector v = FloatVector.broadcast(S, weight[wo + wb]);
          FloatVector g0 = FloatVector.fromArray(S, g, go + i0);
          FloatVector g1 = FloatVector.fromArray(S, g, go + i1);
          FloatVector g2 = FloatVector.fromArray(S, g, go + i2);
          FloatVector g3 = FloatVector.fromArray(S, g, go + i3);
          a0 = u.fma(g0, a0);
          b0 = v.fma(g0, b0);
          a1 = u.fma(g1, a1);
          b1 = v.fma(g1, b1);
          a2 = u.fma(g2, a2);
          b2 = v.fma(g2, b2);
          a3 = u.fma(g3, a3);
          b3 = v.fma(g3, b3);
        }
        s0 = s0.add(a0);
        s1 = s1.add(a1);
        s2 = s2.add(a2);
        s3 = s3.add(a3);
        r0 = r0.add(b0);
        r1 = r1.add(b1);
        r2 = r2.add(b2);
        r3 = r3.add(b3);
      }
      s0.intoArray(tile, 0);
      s1.intoArray(tile, 1 * L);
      s2.intoArray(tile, 2 * L);
      s3.intoArray(tile, 3 * L);
      r0.intoArray(tile, 4 * L);
      r1.intoArray(tile, 5 * L);
      r2.intoArray(tile, 6 * L);
      r3.intoArray(tile, 7 * L);
      store(ch, nc, v0, np, 4);
    }

    /**
     * The same at 5 positions (LeNet-5's second layer: 14 rows of one vector, 15 computed, not 16).
     */
    void run25(int ch, int nc, int v0, int np) {
      int i0 = posIn[v0];
      int i1 = posIn[v0 + Math.min(1, np - 1)];
      int i2 = posIn[v0 + Math.min(2, np - 1)];
      int i3 = posIn[v0 + Math.min(3, np - 1)];
      int i4 = posIn[v0 + Math.min(4, np - 1)];
      int wa = ch * kk;
      int wb = (ch + Math.min(1, nc - 1)) * kk;
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = s0;
      FloatVector s2 = s0;
      FloatVector s3 = s0;
      FloatVector s4 = s0;
      FloatVector r0 = s0;
      FloatVector r1 = s0;
      FloatVector r2 = s0;
      FloatVector r3 = s0;
      FloatVector r4 = s0;
      for (int t = 0; t < kk; t++) {
        int off = taps[t];
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        FloatVector b4 = a0;
        for (int o = 0, go = off, wo = t; o < out; o++, go += plane, wo += ck) {
          FloatVector u = FloatVector.broadcast(S, weight[wo + wa]);
          FloatVector v = FloatVector.broadcast(S, weight[wo + wb]);
          FloatVector g0 = FloatVector.fromArray(S, g, go + i0);
          FloatVector g1 = FloatVector.fromArray(S, g, go + i1);
          FloatVector g2 = FloatVector.fromArray(S, g, go + i2);
          FloatVector g3 = FloatVector.fromArray(S, g, go + i3);
          FloatVector g4 = FloatVector.fromArray(S, g, go + i4);
          a0 = u.fma(g0, a0);
          b0 = v.fma(g0, b0);
          a1 = u.fma(g1, a1);
          b1 = v.fma(g1, b1);
          a2 = u.fma(g2, a2);
          b2 = v.fma(g2, b2);
          a3 = u.fma(g3, a3);
          b3 = v.fma(g3, b3);
          a4 = u.fma(g4, a4);
          b4 = v.fma(g4, b4);
        }
        s0 = s0.add(a0);
        s1 = s1.add(a1);
        s2 = s2.add(a2);
        s3 = s3.add(a3);
        s4 = s4.add(a4);
        r0 = r0.add(b0);
        r1 = r1.add(b1);
        r2 = r2.add(b2);
        r3 = r3.add(b3);
        r4 = r4.add(b4);
      }
      s0.intoArray(tile, 0);
      s1.intoArray(tile, 1 * L);
      s2.intoArray(tile, 2 * L);
      s3.intoArray(tile, 3 * L);
      s4.intoArray(tile, 4 * L);
      r0.intoArray(tile, 5 * L);
      r1.intoArray(tile, 6 * L);
      r2.intoArray(tile, 7 * L);
      r3.intoArray(tile, 8 * L);
      r4.intoArray(tile, 9 * L);
      store(ch, nc, v0, np, 5);
    }

    /** The sums of channels {@code ch ..} ({@code nc}) at positions {@code v0 ..} from the tile. */
    private void store(int ch, int nc, int v0, int np, int per) {
      for (int q = 0; q < nc; q++) {
        int base = dxOff + (ch + q) * planeIn;
        for (int u = 0; u < np; u++) {
          int at = posOut[v0 + u];
          int from = (per * q + u) * L;
          if (at + L <= planeIn) {
            FloatVector.fromArray(S, tile, from).intoArray(dx, base + at);
          } else {
            System.arraycopy(tile, from, dx, base + at, planeIn - at);
          }
        }
      }
    }
  }
}

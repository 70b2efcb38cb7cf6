"use strict";
(function () {
  const D = JSON.parse(document.getElementById("trace-data").textContent);
  const SHOW_ROWS = 12, SHOW_COLS = 12, MAX_ROWS = 256, MAX_COLS = 256, MAX_MAPS = 16;
  const state = { it: 0, step: 0, exact: false, pinned: null, expanded: {}, all: false };
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };

  // ---- values -------------------------------------------------------------------------------
  const num = (x) => (x === null ? NaN : typeof x === "string" ? Number(x) : x);
  function raw(id) {
    const iter = D.iterations[state.it];
    if (id.charAt(0) === "G") {
      const d = iter.values["D" + id.substring(1)];
      return d ? { shape: d.shape, v: d.v.map((x) => -num(x)), size: d.size } : null;
    }
    return iter.values[id] || null;
  }
  function get(id, i) {
    const m = raw(id);
    if (!m) return NaN;
    if (m.sparse) {
      const hit = m.sparse.find((p) => p[0] === i);
      return hit ? num(hit[1]) : NaN;
    }
    return i < m.v.length ? num(m.v[i]) : NaN;
  }
  function fmt(x) {
    if (x === undefined || Number.isNaN(x)) return "—";
    if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞";
    if (state.exact) return String(x);
    if (x === 0) return "0";
    const a = Math.abs(x);
    if (a >= 1e4 || a < 1e-3) return x.toExponential(2);
    return String(Number(x.toPrecision(4)));
  }
  const exactText = (x) => (Number.isNaN(x) ? "not stored" : String(x));
  // Dims seen as a matrix: a vector is one row, higher ranks are [first, rest].
  function asMatrix(shape) {
    if (shape.length === 0) return [1, 1];
    if (shape.length === 1) return [1, shape[0]];
    return [shape[0], shape.slice(1).reduce((a, b) => a * b, 1)];
  }
  const dims = (id) => (raw(id) ? raw(id).shape : []);
  // A dense layer works on the last axis: [batch, time, features] is [batch·time, features].
  function lastAxis(shape) {
    if (shape.length < 2) return asMatrix(shape);
    const last = shape[shape.length - 1];
    return [shape.reduce((a, b) => a * b, 1) / last, last];
  }
  const matOf = (r, id) => (r.flat ? lastAxis(dims(id)) : asMatrix(dims(id)));
  const shapeText = (s) => "[" + s.join(", ") + "]";
  const info = (id) => D.matrices[id] || { name: id, display: "matrix" };

  // ---- rules: which cells made cell i of the result, and the arithmetic ----------------------
  function terms(list, total) {
    const shown = list.slice(0, 6).join(" + ");
    return total > 6 ? shown + " + … (" + total + " terms)" : shown;
  }
  function explain(part, i) {
    const r = part.rule, res = part.result, out = get(res, i), src = [];
    const add = (m, j) => src.push({ m: m, i: j });
    let text = "";
    switch (r.kind) {
      case "matmul": {
        const [R, C] = matOf(r, res);
        const row = Math.floor(i / C), col = i % C;
        const as = matOf(r, r.a);
        const K = r.ta ? as[0] : as[1];
        const bs = matOf(r, r.b);
        const list = [];
        for (let k = 0; k < K; k++) {
          const ai = r.ta ? k * as[1] + row : row * as[1] + k;
          const bi = r.tb ? col * bs[1] + k : k * bs[1] + col;
          add(r.a, ai);
          add(r.b, bi);
          list.push(fmt(get(r.a, ai)) + "×" + fmt(get(r.b, bi)));
        }
        let bias = "";
        if (r.bias) {
          add(r.bias, col);
          bias = " + " + fmt(get(r.bias, col));
        }
        if (r.add) {
          add(r.add, i);
          bias += " + " + fmt(get(r.add, i));
        }
        const an = info(r.a).name + (r.ta ? "ᵀ" : ""), bn = info(r.b).name + (r.tb ? "ᵀ" : "");
        text = "row " + row + " of " + an + " · column " + col + " of " + bn +
          (r.bias ? " + " + info(r.bias).name + "[" + col + "]" : "") +
          (r.add ? " + " + info(r.add).name + "[" + row + ", " + col + "]" : "") + " = " +
          terms(list, K) + bias + " = " + fmt(out);
        break;
      }
      case "affine2": {
        // A recurrent gate: x·W_ih[k]ᵀ + b_ih[k] + (gate ⊙) (h·W_hh[k]ᵀ + b_hh[k]), then fn.
        const C = asMatrix(dims(res))[1];
        const row = Math.floor(i / C), col = i % C, k = r.offset + col;
        const I = asMatrix(dims(r.a))[1], H = asMatrix(dims(r.h))[1];
        let sx = 0, sh = 0;
        const lx = [], lh = [];
        for (let q = 0; q < I; q++) {
          const ai = row * I + q, wi = k * I + q;
          add(r.a, ai);
          add(r.wa, wi);
          sx += get(r.a, ai) * get(r.wa, wi);
          lx.push(fmt(get(r.a, ai)) + "×" + fmt(get(r.wa, wi)));
        }
        for (let q = 0; q < H; q++) {
          const hi = row * H + q, ui = k * H + q;
          add(r.h, hi);
          add(r.wh, ui);
          sh += get(r.h, hi) * get(r.wh, ui);
          lh.push(fmt(get(r.h, hi)) + "×" + fmt(get(r.wh, ui)));
        }
        if (r.ba) {
          add(r.ba, k);
          sx += get(r.ba, k);
        }
        if (r.bh) {
          add(r.bh, k);
          sh += get(r.bh, k);
        }
        let pre = sx + sh, gateText = "";
        if (r.gate) {
          add(r.gate, i);
          pre = sx + get(r.gate, i) * sh;
          gateText = info(r.gate).name + " " + fmt(get(r.gate, i)) + " × ";
        }
        text = "row " + row + " of " + info(r.a).name + " · row " + k + " of " + info(r.wa).name +
          " = " + terms(lx, I) + (r.ba ? " + " + fmt(get(r.ba, k)) : "") + ";  " + gateText +
          "(row " + row + " of " + info(r.h).name + " · row " + k + " of " + info(r.wh).name +
          " = " + terms(lh, H) + (r.bh ? " + " + fmt(get(r.bh, k)) : "") + ");  sum " +
          fmt(pre) + ", " + r.fn + " → " + fmt(out);
        break;
      }
      case "products": {
        // A sum of cell-by-cell products; a factor "1-id" is one minus that cell.
        const shown = r.terms.map((t) => t.map((f) => {
          const minus = f.startsWith("1-"), m = minus ? f.substring(2) : f;
          add(m, i);
          const v = fmt(get(m, i));
          return (minus ? "(1 − " + info(m).name + " " + v + ")" : info(m).name + " " + v);
        }).join(" × "));
        text = shown.join(" + ") + " = " + fmt(out);
        break;
      }
      case "conv": {
        const [N, Co, OH, OW] = dims(res);
        const [, Ci, H, W] = dims(r.a);
        const Kh = dims(r.w)[2], Kw = dims(r.w)[3];
        const ox = i % OW, oy = Math.floor(i / OW) % OH, co = Math.floor(i / (OW * OH)) % Co;
        const n = Math.floor(i / (OW * OH * Co));
        const list = [];
        for (let ci = 0; ci < Ci; ci++)
          for (let ky = 0; ky < Kh; ky++)
            for (let kx = 0; kx < Kw; kx++) {
              const iy = oy * r.stride - r.padding + ky * r.dilation;
              const ix = ox * r.stride - r.padding + kx * r.dilation;
              if (iy < 0 || ix < 0 || iy >= H || ix >= W) continue;
              const ai = ((n * Ci + ci) * H + iy) * W + ix, wi = ((co * Ci + ci) * Kh + ky) * Kw + kx;
              add(r.a, ai);
              add(r.w, wi);
              list.push(fmt(get(r.a, ai)) + "×" + fmt(get(r.w, wi)));
            }
        let bias = "";
        if (r.bias) {
          add(r.bias, co);
          bias = " + " + fmt(get(r.bias, co));
        }
        text = "example " + n + ", channel " + co + ", pixel (" + oy + ", " + ox + "): kernel " + co +
          " over the window = " + terms(list, list.length) + bias + " = " + fmt(out);
        break;
      }
      case "pool": {
        const [, C, OH, OW] = dims(res);
        const [, , H, W] = dims(r.a);
        const ox = i % OW, oy = Math.floor(i / OW) % OH, c = Math.floor(i / (OW * OH)) % C;
        const n = Math.floor(i / (OW * OH * C));
        const list = [];
        for (let ky = 0; ky < r.k; ky++)
          for (let kx = 0; kx < r.k; kx++) {
            const iy = oy * r.stride - r.padding + ky, ix = ox * r.stride - r.padding + kx;
            if (iy < 0 || ix < 0 || iy >= H || ix >= W) continue;
            const ai = ((n * C + c) * H + iy) * W + ix;
            add(r.a, ai);
            list.push(fmt(get(r.a, ai)));
          }
        if (r.op === "mean" && r.avgCountsPadding && list.length < r.k * r.k) {
          text = "(" + list.join(" + ") + " + 0 × " + (r.k * r.k - list.length) + " padding cells) / " +
            r.k * r.k + " = " + fmt(out);
        } else {
          text = r.op + "(" + list.join(", ") + ") = " + fmt(out);
        }
        break;
      }
      case "same":
        add(r.a, i);
        text = "the same value: " + fmt(get(r.a, i));
        break;
      case "map": {
        add(r.a, i);
        const z = fmt(get(r.a, i));
        const f = {
          sigmoid: "σ(z) = 1 / (1 + e^(−z)) = 1 / (1 + e^(−" + z + "))",
          tanh: "tanh(" + z + ")",
          relu: "max(0, " + z + ")",
          leaky_relu: "z > 0 ? z : " + r.param + "·z, z = " + z,
          elu: "z > 0 ? z : " + r.param + "·(e^z − 1), z = " + z,
          identity: "z = " + z,
        }[r.fn] || r.fn + "(" + z + ")";
        text = f + " = " + fmt(out);
        break;
      }
      case "slope": {
        add(r.a, i);
        const a = fmt(get(r.a, i));
        const f = {
          sigmoid: "output × (1 − output) = " + a + " × (1 − " + a + ")",
          tanh: "1 − output² = 1 − " + a + "²",
          relu: "z > 0 ? 1 : 0, z = " + a,
          leaky_relu: "z > 0 ? 1 : " + r.param + ", z = " + a,
          identity: "1",
        }[r.fn] || r.fn + "′(" + a + ")";
        text = f + " = " + fmt(out);
        break;
      }
      case "mul":
        add(r.a, i);
        add(r.b, i);
        text = info(r.a).name + " × " + info(r.b).name + " = " + fmt(get(r.a, i)) + " × " +
          fmt(get(r.b, i)) + " = " + fmt(out);
        break;
      case "error": {
        add(r.out, i);
        add(r.y, i);
        const o = fmt(get(r.out, i)), y = fmt(get(r.y, i));
        const n = raw(r.out).size, B = dims(r.out)[0];
        if (r.loss === "softmax_cross_entropy") {
          const C = asMatrix(dims(r.out))[1], row = Math.floor(i / C);
          for (let c = 0; c < C; c++) if (row * C + c !== i) add(r.out, row * C + c);
          text = "(y − softmax(z)) / B = (" + y + " − softmax(row " + row + ")[" + (i % C) + "]) / " + B;
        } else if (r.loss === "sum_squared_error") {
          text = "2 × (y − output) = 2 × (" + y + " − " + o + ")";
        } else if (r.loss === "mse") {
          text = "2 × (y − output) / N = 2 × (" + y + " − " + o + ") / " + n;
        } else if (r.loss === "binary_cross_entropy") {
          text = "(y − p) / (p (1 − p)) / N, p = " + o + ", y = " + y + ", N = " + n;
        } else {
          text = "y − output = " + y + " − " + o;
        }
        text += " = " + fmt(out);
        break;
      }
      case "colsum": {
        const s = dims(r.a), list = [];
        if (r.maps) {
          const [N, C, H, W] = s;
          for (let n = 0; n < N; n++)
            for (let p = 0; p < H * W; p++) {
              const j = (n * C + i) * H * W + p;
              add(r.a, j);
              list.push(fmt(get(r.a, j)));
            }
        } else {
          const [R, C] = r.flat ? lastAxis(s) : asMatrix(s);
          for (let row = 0; row < R; row++) {
            add(r.a, row * C + i);
            list.push(fmt(get(r.a, row * C + i)));
          }
        }
        text = "Σ over the batch of column " + i + " of " + info(r.a).name + " = " +
          terms(list, list.length) + " = " + fmt(out);
        break;
      }
      case "update": {
        add(r.a, i);
        add(r.d, i);
        const lr = D.iterations[state.it].learningRate;
        text = "w + lr × Δ = " + fmt(get(r.a, i)) + " + " + lr + " × " + fmt(get(r.d, i)) + " = " + fmt(out);
        break;
      }
      case "optimizer":
        add(r.a, i);
        add(r.d, i);
        text = D.iterations[state.it].optimizer + " moved " + fmt(get(r.a, i)) + " to " + fmt(out) +
          " from the gradient " + fmt(-get(r.d, i)) + " (and its own running state)";
        break;
      case "softmax": {
        const C = asMatrix(dims(res))[1], row = Math.floor(i / C);
        for (let c = 0; c < C; c++) add(r.a, row * C + c);
        text = "e^(z) / Σ e^(row " + row + ") = e^(" + fmt(get(r.a, i)) + ") / Σ = " + fmt(out);
        break;
      }
      case "layernorm": {
        // (x − mean) / √(var + eps) · γ + β over the row's last axis.
        const F = lastAxis(dims(r.a))[1], row = Math.floor(i / F), j = i % F;
        let mean = 0, v = 0;
        for (let k = 0; k < F; k++) {
          add(r.a, row * F + k);
          mean += get(r.a, row * F + k);
        }
        mean /= F;
        for (let k = 0; k < F; k++) v += (get(r.a, row * F + k) - mean) ** 2;
        v /= F;
        add(r.w, j);
        add(r.b, j);
        const xh = (get(r.a, i) - mean) / Math.sqrt(v + r.eps);
        text = "row " + row + " of " + info(r.a).name + ": mean " + fmt(mean) + ", variance " + fmt(v) +
          "; (" + fmt(get(r.a, i)) + " − " + fmt(mean) + ") / √(" + fmt(v) + " + " + r.eps + ") = " +
          fmt(xh) + "; × " + info(r.w).name + "[" + j + "] " + fmt(get(r.w, j)) + " + " +
          info(r.b).name + "[" + j + "] " + fmt(get(r.b, j)) + " = " + fmt(out);
        break;
      }
      case "attention": {
        // Weight [b, h, i, j]: query row i · key row j of head h, scaled, softmax over row i.
        const [, H, T] = dims(res), E = r.width, d = E / H;
        const j = i % T, qi = Math.floor(i / T) % T, h = Math.floor(i / (T * T)) % H;
        const b = Math.floor(i / (T * T * H));
        const scale = 1 / Math.sqrt(d);
        const z = (key) => {
          let s = 0;
          for (let k = 0; k < d; k++) {
            s += get(r.q, (b * T + qi) * 3 * E + h * d + k) * get(r.q, (b * T + key) * 3 * E + E + h * d + k);
          }
          return s * scale;
        };
        const list = [];
        for (let k = 0; k < d; k++) {
          const a = (b * T + qi) * 3 * E + h * d + k, c = (b * T + j) * 3 * E + E + h * d + k;
          add(r.q, a);
          add(r.q, c);
          list.push(fmt(get(r.q, a)) + "×" + fmt(get(r.q, c)));
        }
        const rowStart = i - j, seen = [];
        for (let k = 0; k < T; k++) {
          add(res, rowStart + k);
          if (get(res, rowStart + k) !== 0 || k === j) seen.push(k);
        }
        const zs = seen.map(z), max = Math.max(...zs);
        const sum = zs.reduce((s, v) => s + Math.exp(v - max), 0);
        const zij = z(j);
        text = "head " + h + ", example " + b + ": query row " + qi + " · key row " + j + " = " +
          terms(list, d) + ", × 1/√" + d + " = " + fmt(zij) + "; softmax over row " + qi + " (the " +
          seen.length + " keys it may see; masked keys weigh 0): e^(" + fmt(zij) + " − " + fmt(max) +
          ") / " + fmt(sum) + " = " + fmt(get(res, i) === 0 && seen.indexOf(j) < 0 ? 0 : Math.exp(zij - max) / sum) +
          " (stored " + fmt(out) + ")";
        break;
      }
      case "attnmix": {
        // Cell [b, t, e] of the heads side by side: Σ_j A[b, h, t, j] × V[b, j, e] for e's head h.
        const [, T, E] = dims(res), H = r.heads, d = E / H;
        const e = i % E, t = Math.floor(i / E) % T, b = Math.floor(i / (E * T)), h = Math.floor(e / d);
        const list = [];
        for (let j = 0; j < T; j++) {
          const ai = ((b * H + h) * T + t) * T + j, vi = (b * T + j) * 3 * E + 2 * E + e;
          add(r.a, ai);
          add(r.v, vi);
          list.push(fmt(get(r.a, ai)) + "×" + fmt(get(r.v, vi)));
        }
        text = "head " + h + ": row " + t + " of A · column " + (e - h * d) + " of V_" + h + " = " +
          terms(list, T) + " = " + fmt(out) + " (while training, dropped weights count as 0 and the" +
          " others as 1/(1 − p) times)";
        break;
      }
      case "none":
        text = "value " + fmt(out) + (out === 0 ? " (dropped while training)" : "");
        break;
      default:
        text = "the layer's backward pass computed this cell (see the explanation above); value " + fmt(out);
    }
    return { sources: src, text: text, value: out };
  }

  // ---- drawing ------------------------------------------------------------------------------
  function colour(x, scale) {
    if (!Number.isFinite(x) || scale === 0) return "";
    const t = Math.min(1, Math.abs(x) / scale);
    const l = Math.round(100 - 38 * t);
    return x >= 0 ? "hsl(28, 90%, " + l + "%)" : "hsl(208, 80%, " + l + "%)";
  }
  function scaleOf(m) {
    let s = 0;
    for (const x of m.v) {
      const a = Math.abs(num(x));
      if (Number.isFinite(a) && a > s) s = a;
    }
    return s;
  }
  function cell(id, i, x, scale) {
    const td = el("td", "c", fmt(x));
    td.dataset.m = id;
    td.dataset.i = i;
    td.style.background = colour(x, scale);
    return td;
  }
  function matrixView(id, m) {
    const [R, C] = asMatrix(m.shape);
    const open = state.expanded[id];
    const rows = Math.min(R, open ? MAX_ROWS : SHOW_ROWS), cols = Math.min(C, open ? MAX_COLS : SHOW_COLS);
    const stored = m.v.length, scale = scaleOf(m);
    const t = el("table", "mat");
    for (let r = 0; r < rows; r++) {
      const tr = el("tr");
      for (let c = 0; c < cols; c++) {
        const i = r * C + c;
        tr.appendChild(i < stored ? cell(id, i, num(m.v[i]), scale) : el("td", "c gone", "·"));
      }
      if (cols < C) tr.appendChild(el("td", "more", "…"));
      t.appendChild(tr);
    }
    if (rows < R) {
      const tr = el("tr");
      tr.appendChild(el("td", "more", "⋮ " + (R - rows) + " more rows"));
      t.appendChild(tr);
    }
    return { node: t, clipped: rows < R || cols < C };
  }
  function mapsView(id, m, kernels, label) {
    const s = m.shape, box = el("div", "maps");
    const [A, B, H, W] = s;
    const scale = scaleOf(m), stored = m.v.length;
    const open = state.expanded[id];
    const outer = kernels ? Math.min(A, open ? 64 : MAX_MAPS) : 1;
    const inner = Math.min(B, open ? 64 : MAX_MAPS);
    for (let a = 0; a < outer; a++) {
      const line = el("div", "mapline");
      for (let b = 0; b < inner; b++) {
        const fig = el("figure", "map");
        const t = el("table", "grid" + (H * W > 64 ? " px" : ""));
        for (let y = 0; y < H; y++) {
          const tr = el("tr");
          for (let x = 0; x < W; x++) {
            const i = ((a * B + b) * H + y) * W + x;
            const td = i < stored ? cell(id, i, num(m.v[i]), scale) : el("td", "c gone", "");
            if (H * W > 64) td.textContent = "";
            tr.appendChild(td);
          }
          t.appendChild(tr);
        }
        fig.appendChild(t);
        fig.appendChild(el("figcaption", "", kernels ? "out " + a + ", in " + b
          : label === "sheet" ? H + " rows × " + W + " columns" : (label || "channel") + " " + b));
        line.appendChild(fig);
      }
      box.appendChild(line);
    }
    const clipped = outer < (kernels ? A : 1) || inner < B;
    if (!kernels && A > 1) box.appendChild(el("p", "note", "example 0 of " + A + " shown"));
    return { node: box, clipped: clipped };
  }
  function view(id) {
    const m = raw(id), wrap = el("section", "matrix");
    wrap.id = "m-" + id;
    const head = el("h3");
    head.appendChild(el("span", "name", info(id).name));
    head.appendChild(el("span", "shape", m ? " " + shapeText(m.shape) : " (not computed)"));
    wrap.appendChild(head);
    if (!m) return wrap;
    if (m.sparse) {
      wrap.appendChild(el("p", "note", m.sparse.length + " checked values (see the check table)"));
      return wrap;
    }
    const disp = info(id).display;
    // A 3-D sheet per example ([batch, rows, columns]: a spectrogram's bands × frames, a 1-D
    // convolution's channels × time) is drawn as one picture, like a feature map.
    const sheet = disp === "sheet" && m.shape.length === 3;
    const v = sheet ? mapsView(id, { shape: [m.shape[0], 1, m.shape[1], m.shape[2]], v: m.v }, false, "sheet")
      : (disp === "maps" || disp === "kernels" || disp === "heads") && m.shape.length === 4
      ? mapsView(id, m, disp === "kernels", disp === "heads" ? "head" : "channel") : matrixView(id, m);
    wrap.appendChild(v.node);
    if (m.v.length < m.size) {
      wrap.appendChild(el("p", "note", "the page stores the first " + m.v.length + " of " + m.size + " values"));
    }
    if (v.clipped || state.expanded[id]) {
      const b = el("button", "expand", state.expanded[id] ? "show less" : "show all");
      b.addEventListener("click", () => {
        state.expanded[id] = !state.expanded[id];
        render();
      });
      wrap.appendChild(b);
    }
    return wrap;
  }
  function checkTable(k) {
    const n = raw("N" + k), box = el("section", "check");
    const note = D.iterations[state.it].notes["P" + k];
    box.appendChild(el("h3", "", "Check: ∂L/∂" + info("P" + k).name + ", backpropagation vs finite differences"));
    if (!n) {
      box.appendChild(el("p", "note", note || "not checked"));
      return box;
    }
    const t = el("table", "checks");
    const hr = el("tr");
    for (const h of ["cell", "backpropagation", "finite difference", "difference", ""]) hr.appendChild(el("th", "", h));
    t.appendChild(hr);
    let worst = 0;
    const open = state.expanded["N" + k];
    n.sparse.forEach((p, row) => {
      const i = p[0], bp = num(p[2]), fd = num(p[1]);
      const diff = Math.abs(bp - fd), ok = diff <= 1e-2 * Math.max(Math.abs(bp), Math.abs(fd)) + 1e-4;
      worst = Math.max(worst, diff / Math.max(1e-8, Math.abs(bp) + Math.abs(fd)));
      if (row >= 16 && !open) return;
      const tr = el("tr");
      tr.appendChild(el("td", "", index(n.shape, i)));
      tr.appendChild(el("td", "", fmt(bp)));
      tr.appendChild(el("td", "", fmt(fd)));
      tr.appendChild(el("td", "", fmt(diff)));
      tr.appendChild(el("td", ok ? "ok" : "bad", ok ? "✓" : "✗"));
      t.appendChild(tr);
    });
    box.appendChild(t);
    if (n.sparse.length > 16) {
      const b = el("button", "expand", open ? "show fewer" : "show all " + n.sparse.length);
      b.addEventListener("click", () => {
        state.expanded["N" + k] = !open;
        render();
      });
      box.appendChild(b);
    }
    box.appendChild(el("p", "note", n.sparse.length + " elements checked; largest relative difference " +
      worst.toExponential(1) + (note ? ". " + note : "")));
    return box;
  }
  function index(shape, i) {
    const out = [];
    for (let d = shape.length - 1; d >= 0; d--) {
      out.unshift(i % shape[d]);
      i = Math.floor(i / shape[d]);
    }
    return "[" + out.join(", ") + "]";
  }

  function stepNode(s, k) {
    const box = el("article", "step");
    box.dataset.step = k;
    const h = el("h2");
    h.appendChild(el("span", "num", "Step " + s.number));
    h.appendChild(document.createTextNode(" " + s.title));
    box.appendChild(h);
    const f = el("dl", "formulas");
    for (const [label, v] of [["tutorial", s.tutorial], ["chain rule", s.math], ["Nerve", s.java]]) {
      f.appendChild(el("dt", "", label));
      f.appendChild(el("dd", label === "chain rule" ? "math" : "code", v));
    }
    box.appendChild(f);
    box.appendChild(el("p", "text", s.text));
    const mats = el("div", "mats");
    const shown = new Set();
    for (const id of s.shows) {
      if (shown.has(id)) continue;
      shown.add(id);
      mats.appendChild(view(id));
    }
    if (s.parts.length) mats.appendChild(el("div", "arrow", "→"));
    for (const p of s.parts) {
      const v = view(p.result);
      v.classList.add("result");
      v.dataset.part = s.parts.indexOf(p);
      mats.appendChild(v);
    }
    box.appendChild(mats);
    for (const k2 of s.checks) box.appendChild(checkTable(k2));
    box.appendChild(el("div", "explain", s.parts.length ? "Point at a cell of a result (right of the arrow) to see where it came from." : ""));
    return box;
  }

  function render() {
    const main = $("steps");
    main.textContent = "";
    const iter = D.iterations[state.it];
    $("iteration").textContent = "iteration " + iter.iteration + " (epoch " + iter.epoch + ", batch " +
      iter.batch + "), loss before the update " + fmt(iter.loss);
    if (state.all) {
      D.steps.forEach((s, k) => main.appendChild(stepNode(s, k)));
    } else {
      main.appendChild(stepNode(D.steps[state.step], state.step));
    }
    document.querySelectorAll("#toc li").forEach((li, k) => li.classList.toggle("here", !state.all && k === state.step));
    $("pos").textContent = state.all ? "all steps" : "step " + (state.step + 1) + " of " + D.steps.length;
    drawCurve();
    if (state.pinned) show(state.pinned.step, state.pinned.part, state.pinned.i, true);
  }

  // ---- highlighting -------------------------------------------------------------------------
  function clear() {
    document.querySelectorAll(".hl, .sel").forEach((e) => e.classList.remove("hl", "sel"));
  }
  function show(stepIndex, partIndex, i, pin) {
    clear();
    const s = D.steps[stepIndex], part = s.parts[partIndex];
    const box = document.querySelector('article[data-step="' + stepIndex + '"]');
    if (!box || !part) return;
    const e = explain(part, i);
    const me = box.querySelector('.result[data-part="' + partIndex + '"] td[data-i="' + i + '"]');
    if (me) me.classList.add("sel");
    let hidden = 0;
    const names = [];
    for (const src of e.sources) {
      const c = box.querySelector('section:not(.result) td[data-m="' + src.m + '"][data-i="' + src.i + '"]') ||
        box.querySelector('td[data-m="' + src.m + '"][data-i="' + src.i + '"]');
      if (c) c.classList.add("hl");
      else hidden++;
      names.push(src.m + ":" + src.i);
    }
    const ex = box.querySelector(".explain");
    ex.textContent = "";
    ex.dataset.cell = part.result + ":" + i;
    ex.dataset.sources = names.join(" ");
    ex.appendChild(el("p", "what", info(part.result).name + index(raw(part.result).shape, i) + " = " + e.text));
    ex.appendChild(el("p", "exact", "exact value: " + exactText(e.value) + (pin ? " (selected; click again to release)" : "")));
    if (hidden) ex.appendChild(el("p", "note", hidden + " of its " + e.sources.length + " source cells are not drawn: use “show all”."));
  }
  document.addEventListener("mouseover", (ev) => {
    const td = ev.target.closest && ev.target.closest(".result td[data-i]");
    if (!td || state.pinned) return;
    const box = td.closest("article");
    show(Number(box.dataset.step), Number(td.closest(".result").dataset.part), Number(td.dataset.i), false);
  });
  document.addEventListener("click", (ev) => {
    const td = ev.target.closest && ev.target.closest(".result td[data-i]");
    if (!td) return;
    const box = td.closest("article");
    const p = { step: Number(box.dataset.step), part: Number(td.closest(".result").dataset.part), i: Number(td.dataset.i) };
    const same = state.pinned && state.pinned.step === p.step && state.pinned.part === p.part && state.pinned.i === p.i;
    state.pinned = same ? null : p;
    if (same) clear();
    else show(p.step, p.part, p.i, true);
  });

  // ---- loss curve ---------------------------------------------------------------------------
  function drawCurve() {
    const svg = $("curve"), L = D.losses, W = 560, H = 150, pad = 52;
    svg.textContent = "";
    if (!L.length) return;
    const ns = "http://www.w3.org/2000/svg";
    const finite = L.filter(Number.isFinite);
    const lo = Math.min(...finite), hi = Math.max(...finite);
    const log = lo > 0 && hi / lo > 100;
    const fy = (v) => {
      const a = log ? Math.log(v) : v, b = log ? Math.log(lo) : lo, c = log ? Math.log(hi) : hi;
      return H - pad / 2 - (c === b ? 0.5 : (a - b) / (c - b)) * (H - pad);
    };
    const n = D.lossIterations.length;
    const fx = (k) => pad + (n <= 1 ? 0 : (Math.log(D.lossIterations[k]) / Math.log(D.lossIterations[n - 1]))) * (W - pad - 8);
    let d = "";
    for (let k = 0; k < n; k++) if (Number.isFinite(L[k])) d += (d ? "L" : "M") + fx(k).toFixed(1) + "," + fy(L[k]).toFixed(1);
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", d);
    path.setAttribute("class", "loss");
    svg.appendChild(path);
    const txt = (x, y, s, cls) => {
      const t = document.createElementNS(ns, "text");
      t.setAttribute("x", x);
      t.setAttribute("y", y);
      t.setAttribute("class", cls || "");
      t.textContent = s;
      svg.appendChild(t);
    };
    txt(2, fy(hi) + 4, fmt(hi));
    txt(2, fy(lo) + 4, fmt(lo));
    txt(pad, H - 2, "iteration 1 (log scale) → " + D.lossIterations[n - 1] + (log ? ", loss on a log scale" : ""));
    D.iterations.forEach((it, k) => {
      const j = D.lossIterations.indexOf(it.iteration);
      if (j < 0) return;
      const c = document.createElementNS(ns, "circle");
      c.setAttribute("cx", fx(j));
      c.setAttribute("cy", fy(it.loss));
      c.setAttribute("r", k === state.it ? 6 : 3.5);
      c.setAttribute("class", k === state.it ? "now" : "mark");
      svg.appendChild(c);
    });
  }

  // ---- navigation ---------------------------------------------------------------------------
  function go(k) {
    state.step = Math.max(0, Math.min(D.steps.length - 1, k));
    state.all = false;
    state.pinned = null;
    render();
    updateHash();
  }
  function updateHash() {
    const h = state.all ? "#all&it=" + state.it : "#step=" + state.step + "&it=" + state.it;
    if (location.hash !== h) history.replaceState(null, "", h);
  }
  function readHash() {
    const h = new URLSearchParams(location.hash.replace(/^#/, ""));
    if (h.has("it")) state.it = Math.max(0, Math.min(D.iterations.length - 1, Number(h.get("it")) || 0));
    if (h.has("step")) state.step = Math.max(0, Math.min(D.steps.length - 1, Number(h.get("step")) || 0));
    state.all = h.has("all");
    if (h.has("exact")) state.exact = true;
    $("exact").checked = state.exact;
    $("slider").value = state.it;
    render();
    if (h.has("cell")) {
      const [part, i] = h.get("cell").split(":").map(Number);
      state.pinned = { step: state.step, part: part, i: i };
      show(state.step, part, i, true);
    }
  }

  const toc = $("toc");
  D.steps.forEach((s, k) => {
    const li = el("li");
    const a = el("a", "", s.number + " · " + s.title);
    a.href = "#step=" + k;
    a.addEventListener("click", (ev) => {
      ev.preventDefault();
      go(k);
    });
    li.appendChild(a);
    toc.appendChild(li);
  });
  $("prev").addEventListener("click", () => go(state.step - 1));
  $("next").addEventListener("click", () => go(state.step + 1));
  $("all").addEventListener("click", () => {
    state.all = !state.all;
    render();
    updateHash();
  });
  $("exact").addEventListener("change", (ev) => {
    state.exact = ev.target.checked;
    render();
  });
  const slider = $("slider");
  slider.max = D.iterations.length - 1;
  slider.addEventListener("input", () => {
    state.it = Number(slider.value);
    render();
    updateHash();
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.target.tagName === "INPUT") return;
    if (ev.key === "ArrowRight") go(state.step + 1);
    if (ev.key === "ArrowLeft") go(state.step - 1);
  });
  window.addEventListener("hashchange", readHash);
  readHash();
  document.body.dataset.ready = "true";
})();

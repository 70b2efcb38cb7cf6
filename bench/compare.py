#!/usr/bin/env python3
"""Nerve beside its peers, in one invocation, on this machine.

  /usr/bin/python3 bench/compare.py [--quick] [--only W1,W2] [--threads 1,2] [--no-jvm-peers]
                                   [--baseline OTHER/benchmarks.jar] [--output NAME.md]
                                   [--runs N]

Workloads (--only picks some): matmul, tutorial1, mlp, lenet, infer, language, charlm,
sweep (MLP 784-W-W-10 over widths 128-4096 and batches 16-1024: step and forward times beside
PyTorch, GFLOP/s against the multiply's peak, and a chart in bench/results/sweep.png/.svg; not
in the default list),
transformer (the last three are the text examples: a GRU on Debian's word lists, a character LSTM
and a causal character transformer on Debian's fortunes, Nerve's recipe replayed in PyTorch on
the very same encoded data by peers/torch_text.py), attention (its products' GFLOP/s against the
multiply's peak), digits, digits-transformer (the spoken-digit examples, PyTorch on the same
features by peers/torch_audio.py). Peers: numpy on OpenBLAS
(the tutorials' own code and sgemm), PyTorch (Debian python3-torch), Deeplearning4j and Smile
(Maven Central, built from bench/jvm-peers, which is not part of Nerve's build). Every system
gets the same thread count, one process per measurement, alternating between systems, and the
peak RSS of every training process is read from /usr/bin/time. Prints Markdown tables and
writes them to bench/results/latest.md. Speed is never asserted in a test; this is where it is
measured. --quick shortens everything (a smoke run, not for publishing). --baseline measures
another build of Nerve (the benchmarks.jar of an earlier commit, built in a git worktree) beside
this one in the same run, alternating, for mlp and lenet: how a change moved Nerve's own speed.
--output names the results file in bench/results/ (default latest.md; quick.md with --quick).
--runs sets the training runs per system (default 2): more on a machine whose second core comes
and goes. The mlp, lenet and infer tables give each system's effective GFLOP/s (2 x the
multiply-adds of the convolutions and dense layers) against the matrix multiply's peak, measured
with JMH in the same run.
"""
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = "/usr/bin/python3"
SIZES = [64, 128, 256, 512, 1024]
ARGS = sys.argv[1:]
QUICK = "--quick" in ARGS


def opt(name, default):
    return ARGS[ARGS.index(name) + 1] if name in ARGS else default


ONLY = opt("--only", "matmul,tutorial1,mlp,lenet,infer,language,charlm,transformer,attention,"
            "digits,digits-transformer").split(",")
THREADS = [int(t) for t in opt("--threads", "1,2").split(",")]
JVM_PEERS = "--no-jvm-peers" not in ARGS
BASELINE = opt("--baseline", None)
# Full epochs for Nerve and PyTorch; the slow peers train on the first PEER_BATCHES batches of
# each epoch and their time per epoch is scaled up from that (marked "est." in the tables).
EPOCHS = 2 if QUICK else 4
RUNS = int(opt("--runs", "1" if QUICK else "2"))
if RUNS < 1:
    sys.exit(f"--runs: at least 1, got {RUNS}")
PEER_BATCHES = 40 if QUICK else 150
FULL_BATCHES = 938  # 60,000 / 64, rounded up
INFER_SECONDS = 1.0 if QUICK else 3.0

NERVE_JAR = os.path.join(HERE, "target", "benchmarks.jar")
PEERS_DIR = os.path.join(HERE, "jvm-peers")
# As ./nerve runs; the same for every JVM system here. Loop predication off: with it, C2 compiled
# Nerve's direct convolution loops into slow code in about half the JVM starts (bench/README.md).
JVM_OPTS = ["-XX:+UseSerialGC", "-XX:-UseLoopPredicate", "-XX:-UseProfiledLoopPredicate"]


def sh(cmd, env=None, **kw):
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.run(cmd, env=e, text=True, capture_output=True, **kw)
    if p.returncode != 0:
        sys.exit("failed: " + " ".join(cmd) + "\n" + p.stderr[-3000:])
    return p.stdout


def openblas_coretype():
    """OpenBLAS 0.3.21 (Debian bookworm) does not know recent Xeons (family 6, model 207) and
    falls back to its SSE 'Prescott' kernels at a fifth of its speed. Give the peer its best
    kernel for the instruction set the CPU has, unless the caller chose one."""
    if "OPENBLAS_CORETYPE" in os.environ:
        return {"OPENBLAS_CORETYPE": os.environ["OPENBLAS_CORETYPE"]}
    flags = open("/proc/cpuinfo").read()
    if " avx512f" in flags:
        return {"OPENBLAS_CORETYPE": "SkylakeX"}
    if " avx2" in flags:
        return {"OPENBLAS_CORETYPE": "Haswell"}
    return {}


CORETYPE = openblas_coretype()


def blas_env(t):
    """numpy and Deeplearning4j: OpenBLAS (and OpenMP) on t threads."""
    env = {k: str(t) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    env.update(CORETYPE)
    return env


def torch_env(t):
    """PyTorch: t OpenMP threads; OpenBLAS on one so that the two pools do not fight."""
    env = {"OMP_NUM_THREADS": str(t), "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    env.update(CORETYPE)
    return env


def check_numpy_blas():
    blas = os.path.realpath("/etc/alternatives/libblas.so.3-x86_64-linux-gnu")
    if "openblas" not in blas:
        sys.exit("numpy is using the reference BLAS (" + blas + "), not OpenBLAS: that is not a"
                 " fair peer. Install it: apt-get install libopenblas0-pthread")


# ---- how each system is started ----------------------------------------------------------------

def nerve_cmd(*args, jar=NERVE_JAR):
    return (["java", "--add-modules", "jdk.incubator.vector"] + JVM_OPTS
            + ["-cp", jar, "dev.nerve.bench.Workloads"] + [str(a) for a in args])


def peer_cmd(cls, threads, *args):
    cp = os.path.join(PEERS_DIR, "target", "classes") + ":" + open(
        os.path.join(PEERS_DIR, "target", "classpath.txt")).read().strip()
    # Smile's mini-batch update runs on the common fork-join pool, whose caller joins in.
    pool = f"-Djava.util.concurrent.ForkJoinPool.common.parallelism={max(threads - 1, 0)}"
    return (["java"] + JVM_OPTS + [pool, "-cp", cp, "dev.nerve.bench.peers." + cls]
            + [str(a) for a in args])


def torch_cmd(*args):
    return [PY, os.path.join(HERE, "peers", "torch_workloads.py")] + [str(a) for a in args]


def measured(cmd, env=None):
    """Runs cmd under /usr/bin/time; returns (last JSON line, peak RSS in MB)."""
    fd, path = tempfile.mkstemp()
    os.close(fd)
    try:
        out = sh(["/usr/bin/time", "-f", "%M", "-o", path] + cmd, env=env, cwd=ROOT)
        rss = int(open(path).read().split()[-1]) / 1024
    finally:
        os.unlink(path)
    lines = [l for l in out.splitlines() if l.startswith("{")]
    return json.loads(lines[-1]), rss


def progress(text):
    print(text, file=sys.stderr, flush=True)


# ---- workloads ---------------------------------------------------------------------------------

def jmh(pattern, params):
    out = tempfile.mktemp(suffix=".json")
    cmd = ["java", "-jar", NERVE_JAR, pattern, "-rf", "json", "-rff", out]
    if QUICK:
        cmd += ["-wi", "2", "-i", "3", "-w", "500ms", "-r", "500ms"]
    for k, v in params.items():
        cmd += ["-p", f"{k}={v}"]
    sh(cmd)
    with open(out) as f:
        return json.load(f)


# Multiply-adds per example of each model's forward pass (convolutions and dense layers; the
# element-wise layers, pooling and biases are not counted), and of its first layer, whose input
# gradient neither system computes: a training step is forward + weight gradient + input gradient,
# 3 x forward - the first layer's once. FLOPs are 2 x multiply-adds.
# mlp: 784*256 + 256*128 + 128*10. lenet: conv1 6*25*28*28, conv2 16*150*10*10, then 400*120 +
# 120*84 + 84*10.
MACS = {"mlp": (784 * 256 + 256 * 128 + 128 * 10, 784 * 256),
        "lenet": (6 * 25 * 784 + 16 * 150 * 100 + 400 * 120 + 120 * 84 + 84 * 10, 6 * 25 * 784)}
TRAIN_EXAMPLES = 60000


def train_gflop(model):
    """GFLOP of one training epoch of the model (60,000 examples)."""
    forward, first = MACS[model]
    return 2 * (3 * forward - first) * TRAIN_EXAMPLES / 1e9


_PEAK = {}


def peak(t):
    """The matrix multiply's GFLOP/s on t threads (JMH, square n = 1024), measured once a run."""
    if t not in _PEAK:
        progress(f"the matrix multiply's peak, {t} thread(s) (JMH, n = 1024) ...")
        r = jmh("GemmBenchmark", {"threads": t, "n": 1024})[0]
        _PEAK[t] = 2 * 1024 ** 3 / (r["primaryMetric"]["score"] * 1e-6) / 1e9
    return _PEAK[t]


def gflops_note(what):
    return (f"GFLOP/s: 2 × the multiply-adds of the convolutions and dense layers ({what});"
            " \"of peak\" against the matrix multiply (square n = 1024) measured in this run: "
            + ", ".join(f"{peak(t):.0f} GFLOP/s on {t} thread(s)" for t in THREADS) + ".")


def matmul():
    rows = []
    for t in THREADS:
        progress(f"matmul, {t} thread(s): numpy ...")
        np_res = {}
        for line in sh([PY, os.path.join(HERE, "peers", "numpy_matmul.py")] + [str(n) for n in SIZES],
                       env=blas_env(t)).splitlines():
            r = json.loads(line)
            np_res[r["n"]] = r["gflops"]
        progress(f"matmul, {t} thread(s): Nerve (JMH) ...")
        for r in jmh("GemmBenchmark", {"threads": t}):
            n = int(r["params"]["n"])
            us = r["primaryMetric"]["score"]
            rows.append((n, t, 2 * n ** 3 / (us * 1e-6) / 1e9, np_res[n]))
    out = ["### Matrix multiply, float32, C = A × B, square n (GFLOP/s, higher is better)", "",
           "| n | threads | Nerve | numpy (OpenBLAS) | Nerve / OpenBLAS |",
           "|---:|---:|---:|---:|---:|"]
    for n, t, g, o in sorted(rows):
        out.append(f"| {n} | {t} | {g:.1f} | {o:.1f} | {g / o:.2f} |")
    low = [g / o for n, t, g, o in rows if n >= 256]
    out += ["", f"Goal ≥ 0.85 × OpenBLAS at n ≥ 256: {verdict(min(low) >= 0.85)}"
                f" (lowest {min(low):.2f})."]
    return out


def tutorial1():
    progress("tutorial 1: numpy ...")
    runs = 5 if QUICK else 15
    npt = json.loads(sh([PY, os.path.join(HERE, "peers", "tutorial1_numpy_time.py"), str(runs)],
                        env=blas_env(1)))
    progress("tutorial 1: Nerve ...")
    nv, _ = measured(nerve_cmd("tutorial1", runs))
    rows = [("numpy, the tutorial's code", npt["per_epoch_us"], npt["outputs"]),
            ("Nerve, `Trainer.fit`", nv["per_epoch_us"], nv["outputs"])]
    if JVM_PEERS:
        progress("tutorial 1: Deeplearning4j, Smile ...")
        d, _ = measured(peer_cmd("Dl4j", 1, "tutorial1", 3, 500), blas_env(1))
        s, _ = measured(peer_cmd("Smile", 1, "tutorial1", 5, 5000), blas_env(1))
        rows += [("Deeplearning4j", d["per_epoch_us"], d["outputs"]),
                 ("Smile (double precision)", s["per_epoch_us"], s["outputs"])]
    out = ["### Tutorial 1's network: 4-3-1 sigmoid, 3 rows, full-batch epochs, 1 thread", "",
           "| system | per epoch (µs) | speed-up over numpy | outputs after training |",
           "|---|---:|---:|---|"]
    base = npt["per_epoch_us"]
    for name, us, outs in rows:
        out.append(f"| {name} | {us:.2f} | {base / us:.1f}× |"
                   f" {', '.join(f'{v:.3f}' for v in outs)} |")
    out += ["", f"Goal ≥ 20× numpy per epoch: {verdict(base / nv['per_epoch_us'] >= 20)}"
                f" ({base / nv['per_epoch_us']:.1f}×). numpy and Nerve start from the tutorial's"
                " own draws; the JVM peers from their own initialisers (5000 epochs, Deeplearning4j"
                " timed over 500)."]
    return out


def training(model):
    """Rows of (system, threads, s/epoch, estimated, accuracy, rss)."""
    rows = []
    for t in THREADS:
        systems = [("Nerve", lambda: measured(nerve_cmd(model, EPOCHS, t, 0)), False),
                   ("PyTorch", lambda: measured(torch_cmd(model, EPOCHS, t, 0), torch_env(t)),
                    False)]
        if BASELINE:
            systems.insert(1, ("Nerve baseline", lambda: measured(
                nerve_cmd(model, EPOCHS, t, 0, jar=BASELINE)), False))
        if JVM_PEERS:
            systems.append(("Deeplearning4j", lambda: measured(
                peer_cmd("Dl4j", t, model, 2, PEER_BATCHES), blas_env(t)), True))
            if model == "mlp":
                systems.append(("Smile", lambda: measured(
                    peer_cmd("Smile", t, model, 2, PEER_BATCHES), blas_env(t)), True))
        times = {name: [] for name, _, _ in systems}
        accs = {name: [] for name, _, _ in systems}
        rss = {name: [] for name, _, _ in systems}
        for r in range(RUNS):
            for name, run, partial in systems:
                if partial and r > 0:
                    continue
                progress(f"{model}, {t} thread(s): {name} (run {r + 1}) ...")
                res, mb = run()
                epochs = res["epoch_seconds"]
                kept = epochs[1:] if len(epochs) > 1 else epochs  # the first warms the JIT
                if partial:
                    kept = [e * FULL_BATCHES / PEER_BATCHES for e in kept]
                times[name] += kept
                accs[name].append(res["test_accuracy"])
                rss[name].append(mb)
        for name, _, partial in systems:
            rows.append((name, t, statistics.median(times[name]), partial,
                         statistics.median(accs[name]), max(rss[name])))
    return rows


def training_table(model, title, rows):
    gflop = train_gflop(model)
    out = [f"### {title}", "",
           "| system | threads | s / epoch | × PyTorch | GFLOP/s (of peak) | test accuracy |"
           " peak RSS (MB) | RSS × PyTorch |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]
    torch_rows = {t: (s, a, m) for name, t, s, p, a, m in rows if name == "PyTorch"}
    for name, t, s, partial, acc, mb in rows:
        ts, ta, tm = torch_rows[t]
        acc_text = "(partial epochs)" if partial else f"{100 * acc:.2f}%"
        out.append(f"| {name} | {t} | {'est. ' if partial else ''}{s:.2f} | {s / ts:.2f} |"
                   f" {gflop / s:.1f} ({gflop / s / peak(t):.0%}) |"
                   f" {acc_text} | {mb:.0f} | {mb / tm:.2f} |")
    out += ["", gflops_note(f"{gflop:.1f} GFLOP per epoch of {TRAIN_EXAMPLES:,} examples")]
    return out


def mlp():
    rows = training("mlp")
    out = training_table("mlp", f"Fashion-MNIST MLP 784-256-128-10, SGD lr 0.1, batch 64,"
                                f" {EPOCHS} epochs", rows)
    out += goals_for_training(rows, 0.75, "MLP")
    nerve = [m for name, t, s, p, a, m in rows if name == "Nerve"]
    torch = [m for name, t, s, p, a, m in rows if name == "PyTorch"]
    ratio = max(nerve) / max(torch)
    out.append(f"Goal peak memory ≤ 0.75 × PyTorch's: {verdict(ratio <= 0.75)} ({ratio:.2f}).")
    return out


def lenet():
    rows = training("lenet")
    out = training_table("lenet", f"LeNet-5 on Fashion-MNIST, SGD lr 0.1, batch 64, {EPOCHS}"
                                  " epochs", rows)
    return out + goals_for_training(rows, 0.75, "LeNet-5")  # issue 19's goal


def goals_for_training(rows, goal, what):
    out = [""]
    if BASELINE:
        for t in THREADS:
            n = next(r for r in rows if r[0] == "Nerve" and r[1] == t)
            b = next(r for r in rows if r[0] == "Nerve baseline" and r[1] == t)
            out.append(f"Nerve against the baseline build ({os.path.relpath(BASELINE, ROOT)}),"
                       f" {what}, {t} thread(s): {n[2] / b[2]:.3f} × its epoch time"
                       f" ({n[2]:.3f} s against {b[2]:.3f} s).")
    for t in THREADS:
        n = next(r for r in rows if r[0] == "Nerve" and r[1] == t)
        p = next(r for r in rows if r[0] == "PyTorch" and r[1] == t)
        out.append(f"Goal {what} epoch ≤ {goal} × PyTorch's, {t} thread(s):"
                   f" {verdict(n[2] / p[2] <= goal)} ({n[2] / p[2]:.2f}); accuracy"
                   f" {100 * n[4]:.2f}% against {100 * p[4]:.2f}%.")
    return out


TEXT_DATA = os.path.join(tempfile.gettempdir(), "nerve-bench-text")
EXPORTED = []


def text_workload(which):
    """The text examples, Nerve against PyTorch on the same encoded data: s/epoch, tokens/s,
    test accuracy (language) or validation bits per character (charlm), peak RSS."""
    if not EXPORTED:
        # Once per run, from this build: a file left by another build could encode differently.
        progress("exporting the text examples' data for PyTorch ...")
        sh(nerve_cmd("export-text", TEXT_DATA))
        EXPORTED.append(True)
    epochs = 2 if QUICK else 3
    rows = []
    for t in THREADS:
        # Both read the same exported, encoded data: the peak memory is training's, not reading
        # the word lists'.
        systems = [("Nerve", lambda: measured(nerve_cmd(which, epochs, t, TEXT_DATA))),
                   ("PyTorch", lambda: measured(
                       [PY, os.path.join(HERE, "peers", "torch_text.py"), which, TEXT_DATA,
                        str(epochs), str(t)], torch_env(t)))]
        times = {n: [] for n, _ in systems}
        res = {}
        rss = {n: [] for n, _ in systems}
        for r in range(RUNS):
            for name, run in systems:
                progress(f"{which}, {t} thread(s): {name} (run {r + 1}) ...")
                out, mb = run()
                e = out["epoch_seconds"]
                times[name] += e[1:] if len(e) > 1 else e
                res[name] = out
                rss[name].append(mb)
        for name, _ in systems:
            s = statistics.median(times[name])
            rows.append((name, t, s, res[name]["tokens_per_epoch"] / s, res[name], max(rss[name])))
    if which == "language":
        title = (f"Which language is this word? GRU 128 on 51,200 words of Debian's word lists,"
                 f" Adam 3e-3, batch 64 (bucketed by length), {epochs} epochs")
        metric = "test accuracy"
    elif which == "charlm":
        title = (f"Character LSTM 256 language model on 270,000 characters of Debian's fortunes,"
                 f" windows of 64, Adam 2e-3, batch 32, {epochs} epochs")
        metric = "validation bits/char"
    else:
        title = (f"Causal character transformer (2 pre-norm blocks, width 128, 4 heads, GELU"
                 f" feed-forward 512) on the same 270,000 characters, windows of 64, Adam 3e-3,"
                 f" batch 16, {epochs} epochs")
        metric = "validation bits/char"
    out = [f"### {title}", "",
           f"| system | threads | s / epoch | × PyTorch | tokens/s | {metric} | peak RSS (MB) |"
           " RSS × PyTorch |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    torch_rows = {t: (s, m) for name, t, s, tps, r, m in rows if name == "PyTorch"}
    for name, t, s, tps, r, mb in rows:
        ts, tm = torch_rows[t]
        value = (f"{100 * r['test_accuracy']:.2f}%" if which == "language"
                 else f"{r['bits_per_token']:.4f}")
        out.append(f"| {name} | {t} | {s:.2f} | {s / ts:.2f} | {tps:,.0f} | {value} | {mb:.0f} |"
                   f" {mb / tm:.2f} |")
    out.append("")
    if which in ("charlm", "transformer"):
        goal = 0.8 if which == "charlm" else 1.0
        model = "LSTM" if which == "charlm" else "transformer"
        for t in THREADS:
            n = next(r for r in rows if r[0] == "Nerve" and r[1] == t)
            p = next(r for r in rows if r[0] == "PyTorch" and r[1] == t)
            out.append(f"Goal {model} language model epoch ≤ {goal} × PyTorch's, {t} thread(s):"
                       f" {verdict(n[2] / p[2] <= goal)} ({n[2] / p[2]:.2f}).")
        nm = max(r[5] for r in rows if r[0] == "Nerve")
        pm = max(r[5] for r in rows if r[0] == "PyTorch")
        out.append(f"Goal peak memory ≤ 0.75 × PyTorch's: {verdict(nm / pm <= 0.75)}"
                   f" ({nm / pm:.2f}).")
    return out


def language():
    return text_workload("language")


def charlm():
    return text_workload("charlm")


def transformer():
    return text_workload("transformer")


DIGITS_DATA = os.path.join(tempfile.gettempdir(), "nerve-bench-digits")
DIGITS_EXPORTED = []


def digits_workload(which):
    """The spoken-digit examples, Nerve against PyTorch on the same exported features: s/epoch,
    clips/s, test accuracy on the unheard speakers, peak RSS."""
    if not DIGITS_EXPORTED:
        progress("synthesising the spoken digits and exporting their features ...")
        sh(nerve_cmd("export-digits", DIGITS_DATA))
        DIGITS_EXPORTED.append(True)
    epochs = 2 if QUICK else (3 if which == "digits-transformer" else 5)
    rows = []
    for t in THREADS:
        systems = [("Nerve", lambda: measured(nerve_cmd(which, epochs, t, DIGITS_DATA))),
                   ("PyTorch", lambda: measured(
                       [PY, os.path.join(HERE, "peers", "torch_audio.py"), which, DIGITS_DATA,
                        str(epochs), str(t)], torch_env(t)))]
        times = {n: [] for n, _ in systems}
        res, rss = {}, {n: [] for n, _ in systems}
        for r in range(RUNS):
            for name, run in systems:
                progress(f"{which}, {t} thread(s): {name} (run {r + 1}) ...")
                out, mb = run()
                e = out["epoch_seconds"]
                times[name] += e[1:] if len(e) > 1 else e
                res[name] = out
                rss[name].append(mb)
        for name, _ in systems:
            s = statistics.median(times[name])
            rows.append((name, t, s, res[name]["examples_per_epoch"] / s, res[name],
                         max(rss[name])))
    model = ("Conv1d 64-64-128 on log-mel [40, 101]" if which == "digits"
             else "2 encoder blocks (width 64, 4 heads) over the 101 frames")
    out = [f"### Spoken digits (eSpeak NG, 2,040 training clips of 34 speakers): {model},"
           f" Adam 1e-3, batch 32, {epochs} epochs", "",
           "| system | threads | s / epoch | × PyTorch | clips/s | test accuracy (8 unheard"
           " speakers) | peak RSS (MB) | RSS × PyTorch |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    torch_rows = {t: (s, m) for name, t, s, cps, r, m in rows if name == "PyTorch"}
    for name, t, s, cps, r, mb in rows:
        ts, tm = torch_rows[t]
        out.append(f"| {name} | {t} | {s:.3f} | {s / ts:.2f} | {cps:,.0f} |"
                   f" {100 * r['test_accuracy']:.2f}% | {mb:.0f} | {mb / tm:.2f} |")
    out.append("")
    for t in THREADS:
        n = next(r for r in rows if r[0] == "Nerve" and r[1] == t)
        p = next(r for r in rows if r[0] == "PyTorch" and r[1] == t)
        out.append(f"Goal epoch ≤ 1.0 × PyTorch's, {t} thread(s): {verdict(n[2] / p[2] <= 1.0)}"
                   f" ({n[2] / p[2]:.2f}).")
    nm = max(r[5] for r in rows if r[0] == "Nerve")
    pm = max(r[5] for r in rows if r[0] == "PyTorch")
    out.append(f"Goal peak memory ≤ 0.75 × PyTorch's: {verdict(nm / pm <= 0.75)} ({nm / pm:.2f}).")
    return out


def digits():
    return digits_workload("digits")


def digits_transformer():
    return digits_workload("digits-transformer")


def attention():
    """Attention's own products (the per-head Q Kᵀ, A V and their four backward products) at the
    text-transformer's shape, against the matrix multiply's peak in the same process."""
    out = ["### Attention's products (batch 16, 64 steps, width 128, 4 heads of 32), GFLOP/s", "",
           "| threads | products | whole layer (with projections, softmax) | products' share of"
           " the layer's time | square 512 multiply (peak) | products / peak |",
           "|---:|---:|---:|---:|---:|---:|"]
    for t in THREADS:
        progress(f"attention, {t} thread(s) ...")
        r = json.loads(sh(nerve_cmd("attention", t, 2 if QUICK else 5)).splitlines()[-1])
        out.append(f"| {t} | {r['products_gflops']:.1f} | {r['layer_gflops']:.1f} |"
                   f" {100 * r['products_share']:.0f}% | {r['peak_gflops']:.1f} |"
                   f" {r['products_gflops'] / r['peak_gflops']:.2f} |")
    return out


def infer():
    out = ["### Inference: one forward pass, latency (median µs) and throughput (examples/s)", "",
           "| model | batch | threads | Nerve µs | PyTorch µs | Deeplearning4j µs | Smile µs |"
           " Nerve × PyTorch | Nerve examples/s | Nerve GFLOP/s (of peak) | PyTorch GFLOP/s |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    verdicts = []
    for model in ("mlp", "lenet"):
        for batch in (1, 256):
            for t in THREADS:
                progress(f"inference {model}, batch {batch}, {t} thread(s) ...")
                n, _ = measured(nerve_cmd("infer", model, batch, t, INFER_SECONDS))
                p, _ = measured(torch_cmd("infer", model, batch, t, INFER_SECONDS), torch_env(t))
                d = s = None
                if JVM_PEERS:
                    d, _ = measured(peer_cmd("Dl4j", t, "infer", model, batch, INFER_SECONDS),
                                    blas_env(t))
                    if model == "mlp":
                        s, _ = measured(peer_cmd("Smile", t, "infer", model, batch, INFER_SECONDS),
                                        blas_env(t))
                ratio = n["median_us"] / p["median_us"]
                cell = lambda r: f"{r['median_us']:.1f}" if r else "—"
                flop = 2 * MACS[model][0] * batch
                ng = flop / (n["median_us"] * 1e3)
                pg = flop / (p["median_us"] * 1e3)
                out.append(f"| {model} | {batch} | {t} | {n['median_us']:.1f} | {p['median_us']:.1f} |"
                           f" {cell(d)} | {cell(s)} | {ratio:.2f} | {n['per_second']:,.0f} |"
                           f" {ng:.1f} ({ng / peak(t):.0%}) | {pg:.1f} |")
                verdicts.append((model, batch, t, ratio))
    out += ["", gflops_note("a forward pass: " + ", ".join(
        f"{m} {2 * MACS[m][0] / 1e6:.2f} MFLOP per example" for m in ("mlp", "lenet"))), ""]
    for model, batch, t, ratio in verdicts:
        goal = 0.5 if batch == 1 else 0.8  # batch 256: issue 19's goal
        out.append(f"Goal batch-{batch} latency ≤ {goal} × PyTorch's, {model}, {t} thread(s):"
                   f" {verdict(ratio <= goal)} ({ratio:.2f}).")
    return out


SWEEP_WIDTHS = [128, 256, 512, 1024, 2048, 4096]
SWEEP_BATCHES = [16, 64, 256, 1024]


def sweep():
    """How cost grows: MLP 784-W-W-10, widths x batches, Nerve and PyTorch, a training step and a
    forward pass; a table, the effective GFLOP/s against the multiply's peak measured in the same
    run, and a chart (bench/results/sweep.png and .svg)."""
    seconds = 0.3 if QUICK else 0.8
    peak_of = {t: peak(t) for t in THREADS}
    rows = []
    results = []
    for t in THREADS:
        for w in SWEEP_WIDTHS:
            for b in SWEEP_BATCHES:
                progress(f"sweep: width {w}, batch {b}, {t} thread(s) ...")
                n, _ = measured(nerve_cmd("sweep", w, b, t, seconds))
                p, _ = measured(torch_cmd("sweep", w, b, t, seconds), torch_env(t))
                rows.append((t, w, b, n, p))
                for name, r in (("Nerve", n), ("PyTorch", p)):
                    results.append(dict(r, system=name, threads=t, width=w, batch=b))
    out = ["### How cost grows: MLP 784-W-W-10, a training step and a forward pass", "",
           "Median µs per call; GFLOP/s counts 2 × multiply-adds (a training step as 3 forward"
           " passes); the multiply's peak is square n = 1024 measured in this run"
           f" ({', '.join(f'{peak_of[t]:.0f} GFLOP/s on {t} thread(s)' for t in THREADS)}).", "",
           "| threads | width | batch | Nerve step µs | PyTorch step µs | step × PyTorch |"
           " Nerve step GFLOP/s (of peak) | Nerve forward µs | PyTorch forward µs |"
           " forward × PyTorch |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for t, w, b, n, p in rows:
        out.append(f"| {t} | {w} | {b} | {n['train_us']:.0f} | {p['train_us']:.0f} |"
                   f" {n['train_us'] / p['train_us']:.2f} | {n['train_gflops']:.1f}"
                   f" ({n['train_gflops'] / peak_of[t]:.0%}) | {n['infer_us']:.0f} |"
                   f" {p['infer_us']:.0f} | {n['infer_us'] / p['infer_us']:.2f} |")
    data = os.path.join(HERE, "results", "sweep.json")
    with open(data, "w") as f:
        json.dump(results, f, indent=1)
    sh(nerve_cmd("chart", data, os.path.join(HERE, "results", "sweep"), peak_of[min(THREADS)]))
    small = [n["train_us"] / p["train_us"] for t, w, b, n, p in rows if w * b <= 256 * 64]
    large = [n["train_us"] / p["train_us"] for t, w, b, n, p in rows if w * b >= 1024 * 256]
    out += ["", "Chart: [sweep.svg](sweep.svg) ([PNG](sweep.png); data: sweep.json) — the effective"
                " GFLOP/s of a training step on one thread against the width, for batches of 16"
                " (bound by reading the weights) and 1024 (bound by arithmetic), under the"
                " multiply's peak.", "",
            f"Nerve's step time over PyTorch's: median {statistics.median(small):.2f} on the small"
            f" points (width × batch ≤ 256 × 64), {statistics.median(large):.2f} on the large ones"
            f" (≥ 1024 × 256). Goal: the ratio no worse as the work grows (within 10%):"
            f" {verdict(statistics.median(large) <= 1.1 * statistics.median(small))}."]
    return out


def verdict(ok):
    return "**met**" if ok else "**missed**"


def main():
    check_numpy_blas()
    progress("building bench/target/benchmarks.jar ...")
    sh(["mvn", "-q", "-B", "-DskipTests", "-pl", "bench", "-am", "package"], cwd=ROOT)
    if JVM_PEERS:
        progress("building bench/jvm-peers (Deeplearning4j, Smile; ~200 MB from Maven Central"
                 " the first time) ...")
        sh(["mvn", "-q", "-B", "-f", os.path.join(PEERS_DIR, "pom.xml"), "compile"], cwd=ROOT)
    cpu = sh(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"]).strip()
    java = sh(["sh", "-c", "java -version 2>&1 | head -1"]).strip()
    npv = sh([PY, "-c", "import numpy; print(numpy.__version__)"]).strip()
    tv = sh([PY, "-c", "import torch; print(torch.__version__)"]).strip()
    if BASELINE and not os.path.isfile(BASELINE):
        sys.exit("--baseline: no such file: " + BASELINE)
    head = [f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by"
            f" `{' '.join(['/usr/bin/python3', 'bench/compare.py'] + ARGS)}`", "",
            f"Machine: {cpu}, {os.cpu_count()} cores ({platform.machine()}); {java};"
            f" numpy {npv} on OpenBLAS ({CORETYPE.get('OPENBLAS_CORETYPE', 'auto-detected')}"
            f" kernels); PyTorch {tv}; Deeplearning4j 1.0.0-M2.1 (nd4j-native, OpenBLAS);"
            f" Smile 3.1.1. JVM systems run with {' '.join(JVM_OPTS)}.", "",
            f"Training: seconds per epoch are the median over every epoch but each run's first"
            f" (JIT and caches warming), {RUNS} run(s) of {EPOCHS} epochs per system, alternating."
            f" Deeplearning4j and Smile train {PEER_BATCHES} batches per epoch (2 epochs) and"
            f" their time is scaled to a full epoch of {FULL_BATCHES} batches (\"est.\"); their"
            " accuracy is therefore not comparable. Peak RSS: /usr/bin/time, whole process.", ""]
    print("\n".join(head))
    sections = {"matmul": matmul, "tutorial1": tutorial1, "mlp": mlp, "lenet": lenet,
                "infer": infer, "language": language, "charlm": charlm,
                "transformer": transformer, "digits": digits,
                "digits-transformer": digits_transformer, "attention": attention,
                "sweep": sweep}
    for name in ONLY:
        lines = sections[name]()
        print("\n".join(lines) + "\n", flush=True)


class Tee:
    def __init__(self, *streams):
        self.streams = streams

    def write(self, text):
        for s in self.streams:
            s.write(text)

    def flush(self):
        for s in self.streams:
            s.flush()


if __name__ == "__main__":
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    target = os.path.join(HERE, "results", opt("--output", "latest.md" if not QUICK else "quick.md"))
    with open(target + ".tmp", "w") as f:
        sys.stdout = Tee(sys.__stdout__, f)
        try:
            main()
        finally:
            sys.stdout = sys.__stdout__
    os.replace(target + ".tmp", target)

"""Reference values for the audio tests (dev.nerve.audio): torchaudio's formulas written in numpy
(float64), on deterministic test signals (0.3 s at 16 kHz, 0.1 s at 22.05 kHz) rounded to float32 (the signals are stored too, so the
Java test reads exactly the same samples).

- power spectrogram: torch.stft(center=True, pad_mode="reflect", window=hann_window(win_length)
  zero-padded to n_fft in the middle), |X|^2, for n_fft 512 (radix-2), 400 (Bluestein in Java)
  and 255 (odd), a few frames of each;
- mel filterbank: torchaudio.functional.melscale_fbanks(norm=None, mel_scale="htk");
- log-mel: 10 log10(max(mel, 1e-10)); MFCC: create_dct(n_mfcc, n_mels, norm="ortho") applied
  to it (top_db=None);
- resampling: torchaudio.functional.resample(resampling_method="sinc_interp_hann",
  lowpass_filter_width=6, rolloff=0.99), as torchaudio computes it: the kernel of each phase over
  the gcd-reduced rates, then a strided convolution (Java computes each output sample directly).

Run: /usr/bin/python3 audio_numpy.py   (writes audio_numpy.json beside this script; numpy only)
"""
import json
import math
import os

import numpy as np


def signal(rate, seconds, seed):
    """A linear chirp from 100 Hz to 6 kHz, two tones and a little noise, as float32."""
    t = np.arange(int(round(rate * seconds))) / rate
    f0, f1 = 100.0, 6000.0
    chirp = 0.5 * np.sin(2 * np.pi * (f0 * t + (f1 - f0) / (2 * seconds) * t * t))
    tones = 0.2 * np.sin(2 * np.pi * 440 * t) + 0.1 * np.sin(2 * np.pi * 1000 * t + 0.3)
    noise = 0.01 * np.random.default_rng(seed).standard_normal(t.size)
    return (chirp + tones + noise).astype(np.float32)


def hann(n):
    """torch.hann_window(n), periodic."""
    if n == 1:
        return np.ones(1)
    return 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)


def power_spectrogram(x, n_fft, hop, win):
    x = x.astype(np.float64)
    pad = n_fft // 2
    xp = np.pad(x, (pad, pad), mode="reflect")
    w = np.zeros(n_fft)
    left = (n_fft - win) // 2
    w[left:left + win] = hann(win)
    frames = 1 + (len(xp) - n_fft) // hop
    spec = np.stack([np.fft.rfft(xp[t * hop:t * hop + n_fft] * w) for t in range(frames)], axis=1)
    return np.abs(spec) ** 2  # [n_fft // 2 + 1, frames]


def hz_to_mel(f):
    return 2595.0 * np.log10(1.0 + f / 700.0)


def mel_to_hz(m):
    return 700.0 * (10.0 ** (m / 2595.0) - 1.0)


def melscale_fbanks(n_freqs, f_min, f_max, n_mels, sample_rate):
    all_freqs = np.linspace(0, sample_rate // 2, n_freqs)
    m_pts = np.linspace(hz_to_mel(f_min), hz_to_mel(f_max), n_mels + 2)
    f_pts = mel_to_hz(m_pts)
    f_diff = f_pts[1:] - f_pts[:-1]
    slopes = f_pts[None, :] - all_freqs[:, None]
    down = (-1.0 * slopes[:, :-2]) / f_diff[:-1]
    up = slopes[:, 2:] / f_diff[1:]
    return np.maximum(0.0, np.minimum(down, up))  # [n_freqs, n_mels]


def create_dct(n_mfcc, n_mels):
    n = np.arange(n_mels, dtype=np.float64)
    k = np.arange(n_mfcc, dtype=np.float64)[:, None]
    dct = np.cos(np.pi / n_mels * (n + 0.5) * k)  # [n_mfcc, n_mels]
    dct[0] *= 1.0 / math.sqrt(2.0)
    dct *= math.sqrt(2.0 / n_mels)
    return dct.T  # [n_mels, n_mfcc]


def decibels(x):
    return 10.0 * np.log10(np.maximum(x, 1e-10))


def resample(x, orig_freq, new_freq, lowpass_filter_width=6, rolloff=0.99):
    x = x.astype(np.float64)
    g = math.gcd(orig_freq, new_freq)
    orig, new = orig_freq // g, new_freq // g
    base_freq = min(orig, new) * rolloff
    width = math.ceil(lowpass_filter_width * orig / base_freq)
    idx = np.arange(-width, width + orig, dtype=np.float64)[None, :] / orig
    t = np.arange(0, -new, -1, dtype=np.float64)[:, None] / new + idx
    t *= base_freq
    t = np.clip(t, -lowpass_filter_width, lowpass_filter_width)
    window = np.cos(t * math.pi / lowpass_filter_width / 2) ** 2
    t *= math.pi
    scale = base_freq / orig
    with np.errstate(invalid="ignore", divide="ignore"):
        kernels = np.where(t == 0, 1.0, np.sin(t) / t) * window * scale  # [new, 2w + orig]
    length = len(x)
    padded = np.pad(x, (width, width + orig))
    blocks = (len(padded) - kernels.shape[1]) // orig + 1
    out = np.stack([kernels @ padded[q * orig:q * orig + kernels.shape[1]] for q in range(blocks)])
    target = math.ceil(new * length / orig)
    return out.reshape(-1)[:target]


def r(a, digits=10):
    """Rounded to `digits` significant digits, as a (nested) list."""
    return [float("%.*g" % (digits, v)) for v in np.asarray(a, dtype=np.float64).reshape(-1)]


def f32(a):
    """float32 values written so that Float.parseFloat gives them back exactly."""
    return [float(np.format_float_positional(v, unique=True, trim="-") if v == v else v)
            for v in np.asarray(a, dtype=np.float32).reshape(-1)]


def spectrogram_case(x, n_fft, hop, win, frames):
    p = power_spectrogram(x, n_fft, hop, win)
    return {"n_fft": n_fft, "hop_length": hop, "win_length": win, "total_frames": p.shape[1],
            "frames": frames, "power": [r(p[:, t]) for t in frames]}


def features_case(x, rate, n_fft, hop, win, n_mels, f_min, f_max, n_mfcc, with_filterbank):
    p = power_spectrogram(x, n_fft, hop, win)
    fb = melscale_fbanks(n_fft // 2 + 1, f_min, f_max, n_mels, rate)
    log_mel = decibels(fb.T @ p)
    mfcc = create_dct(n_mfcc, n_mels).T @ log_mel
    return {"sample_rate": rate, "n_fft": n_fft, "hop_length": hop, "win_length": win,
            "n_mels": n_mels, "f_min": f_min, "f_max": f_max, "n_mfcc": n_mfcc,
            "frames": p.shape[1], "log_mel": r(log_mel), "mfcc": r(mfcc),
            **({"filterbank": r(fb)} if with_filterbank else {})}


def main():
    x16 = signal(16000, 0.3, 1)
    x22 = signal(22050, 0.1, 2)
    out = {
        "signal_16000": f32(x16),
        "signal_22050": f32(x22),
        "spectrograms": [
            spectrogram_case(x16, 512, 160, 400, [0, 1, 15, 29, 30]),
            spectrogram_case(x16, 400, 160, 400, [0, 15, 30]),
            spectrogram_case(x16, 255, 100, 200, [0, 1, 24, 47]),
        ],
        "features": [
            features_case(x16, 16000, 512, 160, 400, 40, 0.0, 8000.0, 13, True),
            features_case(x16, 16000, 400, 160, 400, 64, 20.0, 7600.0, 20, False),
        ],
        "resample": [
            {"from": 22050, "to": 16000, "input": "signal_22050", "length": len(x22),
             "output": r(resample(x22, 22050, 16000))},
            {"from": 16000, "to": 22050, "input": "signal_16000", "length": 441,
             "output": r(resample(x16[:441], 16000, 22050))},
            {"from": 16000, "to": 8000, "input": "signal_16000", "length": 800,
             "output": r(resample(x16[:800], 16000, 8000))},
            {"from": 8000, "to": 16000, "input": "signal_16000", "length": 400,
             "output": r(resample(x16[:400], 8000, 16000))},
            {"from": 44100, "to": 48000, "input": "signal_22050", "length": 300,
             "output": r(resample(x22[:300], 44100, 48000))},
        ],
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "audio_numpy.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


main()

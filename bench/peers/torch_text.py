"""PyTorch (Debian python3-torch) running Nerve's two text examples, same data, same recipe.

  torch_text.py language|charlm|transformer DATA_DIR EPOCHS THREADS

DATA_DIR holds language.json and charlm.json, written by Nerve's
`Workloads export-text DIR` (the examples' words and text, already encoded and split, so both
systems train on the very same examples):
  language: which language is a word? Embedding(V, 32, padding_idx=0), GRU(32, 128), Linear(128,
      8) on the GRU's state after each word's last letter (pack_padded_sequence); Adam 3e-3,
      batch 64; each epoch shuffled, then every run of 32 batches sorted by length (Nerve's
      bucketing); test accuracy on the held-out 20% of the words.
  charlm: next character. Embedding(V, 32), LSTM(32, 256), Linear(256, V) at every step, windows
      of 64 characters, Adam 2e-3, batch 32, gradient norm clipped to 5; bits per character on the
      last 10% of the text.
  transformer: next character, on charlm's data: Embedding(V, 128) plus learned positions
      (N(0, 0.02)), two nn.TransformerEncoderLayer(128, 4, 512, dropout 0, GELU,
      batch_first, norm_first) with a causal mask, LayerNorm, Linear(128, V); Adam 3e-3, batch 16,
      gradient norm clipped to 1 (Nerve's --example text-transformer).
Initialised as Nerve initialises: embeddings N(0, 1), recurrent weights U(-1/sqrt(H), 1/sqrt(H))
(PyTorch's default, the same), linear layers Glorot-uniform with zero bias.
Prints {"load_seconds", "epoch_seconds": [...], "test_accuracy", "bits_per_token",
"tokens_per_epoch"}.
"""
import json
import math
import sys
import time

import torch

nn = torch.nn
BUCKET_BATCHES = 32


def linear(i, o):
    m = nn.Linear(i, o)
    nn.init.xavier_uniform_(m.weight)
    nn.init.zeros_(m.bias)
    return m


class Words(nn.Module):
    def __init__(self, vocab, classes):
        super().__init__()
        self.emb = nn.Embedding(vocab, 32, padding_idx=0)
        self.gru = nn.GRU(32, 128, batch_first=True)
        self.out = linear(128, classes)

    def forward(self, x, lengths):
        packed = nn.utils.rnn.pack_padded_sequence(self.emb(x), lengths, batch_first=True,
                                                   enforce_sorted=False)
        _, h = self.gru(packed)
        return self.out(h[0])


class Chars(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.emb = nn.Embedding(vocab, 32)
        self.lstm = nn.LSTM(32, 256, batch_first=True)
        self.out = linear(256, vocab)

    def forward(self, x):
        y, _ = self.lstm(self.emb(x))
        return self.out(y)


class Gpt(nn.Module):
    def __init__(self, vocab, window):
        super().__init__()
        self.emb = nn.Embedding(vocab, 128)
        self.pos = nn.Parameter(torch.randn(window, 128) * 0.02)
        self.blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(128, 4, 512, dropout=0.0, activation="gelu",
                                       batch_first=True, norm_first=True) for _ in range(2))
        self.norm = nn.LayerNorm(128)
        self.out = linear(128, vocab)
        self.register_buffer("mask", torch.triu(torch.ones(window, window, dtype=torch.bool), 1))

    def forward(self, x):
        t = x.shape[1]
        h = self.emb(x) + self.pos[:t]
        for b in self.blocks:
            h = b(h, src_mask=self.mask[:t, :t])
        return self.out(self.norm(h))


def pad(seqs):
    lengths = torch.tensor([len(s) for s in seqs])
    x = torch.zeros(len(seqs), int(lengths.max()), dtype=torch.long)
    for i, s in enumerate(seqs):
        x[i, :len(s)] = torch.tensor(s)
    return x, lengths


def language(d, epochs):
    train, labels = d["train"], torch.tensor(d["train_labels"])
    test, test_labels = d["test"], torch.tensor(d["test_labels"])
    net = Words(d["vocabulary"], d["classes"])
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    loss_fn = nn.CrossEntropyLoss()
    lengths = torch.tensor([len(s) for s in train])
    times = []
    for _ in range(epochs):
        net.train()
        t0 = time.perf_counter()
        order = torch.randperm(len(train))
        span = BUCKET_BATCHES * 64
        for s in range(0, len(order), span):
            part = order[s:s + span]
            order[s:s + span] = part[torch.sort(lengths[part], stable=True).indices]
        for i in range(0, len(order), 64):
            b = order[i:i + 64].tolist()
            x, lens = pad([train[j] for j in b])
            opt.zero_grad()
            loss = loss_fn(net(x, lens), labels[b])
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - t0)
    net.eval()
    right = 0
    with torch.no_grad():
        for i in range(0, len(test), 512):
            x, lens = pad(test[i:i + 512])
            right += (net(x, lens).argmax(1) == test_labels[i:i + 512]).sum().item()
    return {"epoch_seconds": times, "test_accuracy": right / len(test),
            "bits_per_token": float("nan"), "tokens_per_epoch": int(lengths.sum())}


def windows(ids, w):
    ids = torch.tensor(ids)
    n = (len(ids) - w - 1) // w + 1
    x = torch.stack([ids[i * w:i * w + w] for i in range(n)])
    y = torch.stack([ids[i * w + 1:i * w + w + 1] for i in range(n)])
    return x, y


def charlm(d, epochs, transformer=False):
    w, v = d["window"], d["vocabulary"]
    x, y = windows(d["train"], w)
    vx, vy = windows(d["validation"], w)
    net = Gpt(v, w) if transformer else Chars(v)
    opt = torch.optim.Adam(net.parameters(), lr=3e-3 if transformer else 2e-3)
    clip = 1.0 if transformer else 5.0
    batch = 16 if transformer else 32
    loss_fn = nn.CrossEntropyLoss()
    times = []
    for _ in range(epochs):
        net.train()
        t0 = time.perf_counter()
        order = torch.randperm(len(x))
        for i in range(0, len(order), batch):
            b = order[i:i + batch]
            opt.zero_grad()
            loss = loss_fn(net(x[b]).reshape(-1, v), y[b].reshape(-1))
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), clip)
            opt.step()
        times.append(time.perf_counter() - t0)
    net.eval()
    total, right, n = 0.0, 0, 0
    with torch.no_grad():
        for i in range(0, len(vx), 256):
            out = net(vx[i:i + 256]).reshape(-1, v)
            t = vy[i:i + 256].reshape(-1)
            total += nn.functional.cross_entropy(out, t, reduction="sum").item()
            right += (out.argmax(1) == t).sum().item()
            n += t.numel()
    return {"epoch_seconds": times, "test_accuracy": right / n,
            "bits_per_token": total / n / math.log(2), "tokens_per_epoch": len(x) * w}


def main():
    which, data, epochs, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    torch.manual_seed(0)
    torch.set_num_threads(threads)
    t0 = time.perf_counter()
    with open(f"{data}/{'charlm' if which == 'transformer' else which}.json") as f:
        d = json.load(f)
    load = time.perf_counter() - t0
    out = (language(d, epochs) if which == "language"
           else charlm(d, epochs, transformer=which == "transformer"))
    out["load_seconds"] = load
    print(json.dumps(out))


if __name__ == "__main__":
    main()

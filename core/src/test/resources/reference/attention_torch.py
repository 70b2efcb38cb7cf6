"""Reference values for AttentionConformanceTest: PyTorch's nn.MultiheadAttention (batch_first,
self-attention, with attn_mask and key_padding_mask), nn.TransformerEncoderLayer (norm_first=True,
GELU, dropout 0), nn.Conv1d (stride, padding, dilation, groups), MaxPool1d and AvgPool1d.
Each case: the weights, the input x, the output y, a fixed r, and the gradients of sum(y * r).
Run: /usr/bin/python3 attention_torch.py > attention_torch.json"""
import json

import torch

torch.manual_seed(16)


def flat(t):
    return t.detach().reshape(-1).tolist()


def masks(batch, time, lengths, causal):
    pad = None
    if lengths is not None:
        pad = torch.arange(time)[None, :] >= torch.tensor(lengths)[:, None]
    attn = None
    if causal:
        attn = torch.triu(torch.ones(time, time, dtype=torch.bool), diagonal=1)
    return pad, attn


def attention(batch, time, width, heads, lengths, causal):
    m = torch.nn.MultiheadAttention(width, heads, dropout=0.0, batch_first=True)
    with torch.no_grad():
        m.in_proj_bias.copy_(torch.randn(3 * width) * 0.1)
        m.out_proj.bias.copy_(torch.randn(width) * 0.1)
    m.train()
    x = torch.randn(batch, time, width).requires_grad_(True)
    pad, attn = masks(batch, time, lengths, causal)
    y, _ = m(x, x, x, key_padding_mask=pad, attn_mask=attn, need_weights=False)
    r = torch.randn(*y.shape)
    (y * r).sum().backward()
    return {"batch": batch, "time": time, "width": width, "heads": heads,
            "lengths": lengths, "causal": causal,
            "in_proj_weight": flat(m.in_proj_weight), "in_proj_bias": flat(m.in_proj_bias),
            "out_proj_weight": flat(m.out_proj.weight), "out_proj_bias": flat(m.out_proj.bias),
            "x": flat(x), "y": flat(y), "r": flat(r), "dx": flat(x.grad),
            "d_in_proj_weight": flat(m.in_proj_weight.grad),
            "d_in_proj_bias": flat(m.in_proj_bias.grad),
            "d_out_proj_weight": flat(m.out_proj.weight.grad),
            "d_out_proj_bias": flat(m.out_proj.bias.grad)}


def encoder(batch, time, width, heads, ff, lengths, causal):
    m = torch.nn.TransformerEncoderLayer(width, heads, dim_feedforward=ff, dropout=0.0,
                                         activation="gelu", batch_first=True, norm_first=True)
    with torch.no_grad():
        for p in (m.norm1.weight, m.norm2.weight):
            p.copy_(1 + 0.2 * torch.randn(width))
        for p in (m.norm1.bias, m.norm2.bias, m.self_attn.in_proj_bias, m.self_attn.out_proj.bias):
            p.copy_(0.1 * torch.randn(p.shape))
    m.train()
    x = torch.randn(batch, time, width).requires_grad_(True)
    pad, attn = masks(batch, time, lengths, causal)
    y = m(x, src_mask=attn, src_key_padding_mask=pad)
    r = torch.randn(*y.shape)
    (y * r).sum().backward()
    # Named as Nerve saves them: 0 = [norm1, self_attn, dropout], 1 = [norm2, linear1, act,
    # dropout, linear2, dropout]; a Dense weight is stored [in, out], PyTorch's transpose.
    params = {
        "0.0.weight": m.norm1.weight, "0.0.bias": m.norm1.bias,
        "0.1.in_proj_weight": m.self_attn.in_proj_weight,
        "0.1.in_proj_bias": m.self_attn.in_proj_bias,
        "0.1.out_proj.weight": m.self_attn.out_proj.weight,
        "0.1.out_proj.bias": m.self_attn.out_proj.bias,
        "1.0.weight": m.norm2.weight, "1.0.bias": m.norm2.bias,
        "1.1.weight": m.linear1.weight, "1.1.bias": m.linear1.bias,
        "1.4.weight": m.linear2.weight, "1.4.bias": m.linear2.bias}
    out = {"batch": batch, "time": time, "width": width, "heads": heads, "feedforward": ff,
           "lengths": lengths, "causal": causal, "x": flat(x), "y": flat(y), "r": flat(r),
           "dx": flat(x.grad), "params": {}, "grads": {}}
    for name, p in params.items():
        value, grad = p, p.grad
        if name in ("1.1.weight", "1.4.weight"):
            value, grad = p.t(), p.grad.t()
        out["params"][name] = flat(value)
        out["grads"][name] = flat(grad)
    return out


def conv1d(batch, cin, cout, length, k, stride, padding, dilation, groups):
    m = torch.nn.Conv1d(cin, cout, k, stride=stride, padding=padding, dilation=dilation,
                        groups=groups)
    x = torch.randn(batch, cin, length).requires_grad_(True)
    y = m(x)
    r = torch.randn(*y.shape)
    (y * r).sum().backward()
    return {"batch": batch, "in": cin, "out": cout, "length": length, "kernel": k,
            "stride": stride, "padding": padding, "dilation": dilation, "groups": groups,
            "weight": flat(m.weight), "bias": flat(m.bias), "x": flat(x), "y": flat(y),
            "out_shape": list(y.shape), "r": flat(r), "dx": flat(x.grad),
            "dweight": flat(m.weight.grad), "dbias": flat(m.bias.grad)}


def pool(kind, batch, channels, length, k, stride, padding):
    m = (torch.nn.MaxPool1d if kind == "max" else torch.nn.AvgPool1d)(k, stride, padding)
    x = torch.randn(batch, channels, length).requires_grad_(True)
    y = m(x)
    r = torch.randn(*y.shape)
    (y * r).sum().backward()
    return {"kind": kind, "batch": batch, "channels": channels, "length": length, "kernel": k,
            "stride": stride, "padding": padding, "x": flat(x), "y": flat(y),
            "out_shape": list(y.shape), "r": flat(r), "dx": flat(x.grad)}


print(json.dumps({
    "attention": {
        "plain": attention(3, 5, 8, 2, None, False),
        "padding": attention(3, 5, 8, 2, [5, 3, 1], False),
        "causal": attention(2, 6, 12, 3, None, True),
        "causal_padding": attention(3, 5, 8, 4, [2, 5, 4], True),
    },
    "encoder": {
        "plain": encoder(2, 5, 8, 2, 16, None, False),
        "causal_padding": encoder(3, 6, 8, 2, 12, [6, 4, 2], True),
    },
    "conv1d": {
        "plain": conv1d(2, 3, 5, 9, 3, 1, 0, 1, 1),
        "strided": conv1d(2, 4, 6, 11, 3, 2, 1, 2, 2),
        "depthwise": conv1d(1, 4, 4, 7, 5, 1, 2, 1, 4),
    },
    "pool1d": {
        "max": pool("max", 2, 3, 10, 3, 2, 1),
        "avg": pool("avg", 2, 3, 10, 3, 2, 1),
        "max_plain": pool("max", 1, 2, 9, 2, 2, 0),
    },
}))

// C = op(A) · op(B) for row-major f32 matrices, op = identity or transpose, with an
// epilogue fused in. Each 16 x 16 workgroup computes a 64 x 64 tile of C, each thread a
// 4 x 4 block held in registers; 16-deep slices of op(A) and op(B) are staged in
// workgroup memory (zero-padded at the edges, so any shape works).
struct Params {
    m: u32,     // rows of C (unless MBATCH)
    n: u32,     // columns of C
    k: u32,     // inner dimension (unless KBATCH)
    flags: u32,
    alpha: f32, // L2 strength (weight-gradient epilogue)
    per_row: u32, // matrix rows per batch row where m or k is the batch's (0 = 1): a CNN's pixels
    p6: u32, p7: u32,
}
// flags: bit 0 A transposed, bit 1 B transposed, bit 2 m = batch rows, bit 3 k = batch rows,
// bits 4-5 epilogue, bits 8-9 activation (0 relu, 1 tanh, 2 logistic, 3 identity).
// Epilogues: 0 plain; 1 act(acc + bias[j]); 2 (acc + alpha * extra) / (k / per_row), the
// weight gradient over the batch's rows; 3 acc * f'(extra), backpropagation through the activation with output extra.
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read> extra: array<f32>;
@group(0) @binding(5) var<storage, read_write> c: array<f32>;

const TS: u32 = 64u;
const TK: u32 = 16u;
var<workgroup> ta: array<f32, 1024>; // TK x TS, ta[kk * TS + i] = op(A)[row0 + i, k0 + kk]
var<workgroup> tb: array<f32, 1024>; // TK x TS, tb[kk * TS + j] = op(B)[k0 + kk, col0 + j]

// The CPU's tanh (Eigen's rational approximation), so both sides compute the same function.
fn fast_tanh(x: f32) -> f32 {
    let c = clamp(x, -7.905311, 7.905311);
    let x2 = c * c;
    let p = c * ((((((-2.7607685e-16 * x2 + 2.000188e-13) * x2 + -8.604672e-11) * x2 + 5.122297e-8) * x2
        + 1.4857224e-5) * x2 + 6.3726193e-4) * x2 + 4.8935246e-3);
    let q = ((1.1982584e-6 * x2 + 1.1853471e-4) * x2 + 2.2684346e-3) * x2 + 4.893525e-3;
    if (abs(x) < 4e-4) {
        return x;
    }
    return p / q;
}

fn act(v: f32, f: u32) -> f32 {
    switch f {
        case 0u: { return max(v, 0.0); }
        case 1u: { return fast_tanh(v); }
        case 2u: { return 0.5 + 0.5 * fast_tanh(0.5 * v); }
        default: { return v; }
    }
}

// f'(z) written in terms of the output a = f(z).
fn dact(y: f32, f: u32) -> f32 {
    switch f {
        case 0u: { return select(0.0, 1.0, y > 0.0); }
        case 1u: { return 1.0 - y * y; }
        case 2u: { return y * (1.0 - y); }
        default: { return 1.0; }
    }
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let flags = prm.flags;
    var m = prm.m;
    var k = prm.k;
    let per_row = max(prm.per_row, 1u);
    if ((flags & 4u) != 0u) {
        m = step.rows * per_row;
    }
    if ((flags & 8u) != 0u) {
        k = step.rows * per_row;
    }
    let n = prm.n;
    let a_t = (flags & 1u) != 0u;
    let b_t = (flags & 2u) != 0u;
    let row0 = wid.y * TS;
    let col0 = wid.x * TS;
    let tid = lid.y * 16u + lid.x;
    // Row r of the thread's 4 x 4 block, columns lid.x + 16 s for s = 0..3.
    var acc0 = vec4<f32>(0.0);
    var acc1 = vec4<f32>(0.0);
    var acc2 = vec4<f32>(0.0);
    var acc3 = vec4<f32>(0.0);
    for (var k0 = 0u; k0 < k; k0 += TK) {
        for (var e = 0u; e < 4u; e++) {
            let idx = e * 256u + tid;
            // Consecutive threads read consecutive addresses in either layout.
            var i = idx / TK;
            var ka = idx % TK;
            if (a_t) {
                ka = idx / TS;
                i = idx % TS;
            }
            let gi = row0 + i;
            let gka = k0 + ka;
            var va = 0.0;
            if (gi < m && gka < k) {
                if (a_t) {
                    va = a[gka * m + gi];
                } else {
                    va = a[gi * k + gka];
                }
            }
            ta[ka * TS + i] = va;
            var j = idx % TS;
            var kb = idx / TS;
            if (b_t) {
                j = idx / TK;
                kb = idx % TK;
            }
            let gj = col0 + j;
            let gkb = k0 + kb;
            var vb = 0.0;
            if (gj < n && gkb < k) {
                if (b_t) {
                    vb = b[gj * k + gkb];
                } else {
                    vb = b[gkb * n + gj];
                }
            }
            tb[kb * TS + j] = vb;
        }
        workgroupBarrier();
        for (var kk = 0u; kk < TK; kk++) {
            let ra = kk * TS + lid.y;
            let rb = kk * TS + lid.x;
            let av = vec4<f32>(ta[ra], ta[ra + 16u], ta[ra + 32u], ta[ra + 48u]);
            let bv = vec4<f32>(tb[rb], tb[rb + 16u], tb[rb + 32u], tb[rb + 48u]);
            acc0 += av.x * bv;
            acc1 += av.y * bv;
            acc2 += av.z * bv;
            acc3 += av.w * bv;
        }
        workgroupBarrier();
    }
    store(row0 + lid.y, col0 + lid.x, m, n, k, acc0);
    store(row0 + lid.y + 16u, col0 + lid.x, m, n, k, acc1);
    store(row0 + lid.y + 32u, col0 + lid.x, m, n, k, acc2);
    store(row0 + lid.y + 48u, col0 + lid.x, m, n, k, acc3);
}

// Row i of C at columns j, j + 16, j + 32, j + 48, through the epilogue.
fn store(i: u32, j0: u32, m: u32, n: u32, k: u32, acc: vec4<f32>) {
    if (i >= m) {
        return;
    }
    let mode = (prm.flags >> 4u) & 3u;
    let f = (prm.flags >> 8u) & 3u;
    for (var s = 0u; s < 4u; s++) {
        let j = j0 + 16u * s;
        if (j < n) {
            let o = i * n + j;
            var v = acc[s];
            if (mode == 1u) {
                v = act(v + bias[j], f);
            } else if (mode == 2u) {
                v = (v + prm.alpha * extra[o]) * (1.0 / f32(k / max(prm.per_row, 1u)));
            } else if (mode == 3u) {
                v = v * dact(extra[o], f);
            }
            c[o] = v;
        }
    }
}

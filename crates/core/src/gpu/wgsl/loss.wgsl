// The loss of one batch's raw outputs, its derivative per row (into delta, not divided by
// the rows), and the batch's summed loss and count of right answers (into its stats slot).
// One workgroup: a thread per row (striding), then a tree reduction.
struct Params {
    kind: u32,   // 0 softmax + cross-entropy, 1 logistic + binary cross-entropy, 2 half squared error
    width: u32,  // outputs per row
    stride: u32, // floats per stats slot
    p3: u32, p4: u32, p5: u32, p6: u32, p7: u32,
}
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> outs: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<f32>;
@group(0) @binding(3) var<storage, read_write> delta: array<f32>;
@group(0) @binding(4) var<storage, read_write> stats: array<f32>;

var<workgroup> part_loss: array<f32, 256>;
var<workgroup> part_right: array<f32, 256>;

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) lid: u32) {
    let n = step.rows;
    let k = prm.width;
    var loss = 0.0;
    var right = 0.0;
    for (var i = lid; i < n; i += 256u) {
        let base = i * k;
        if (prm.kind == 0u) {
            let c = u32(targets[i]);
            var mx = outs[base];
            var best = 0u;
            for (var j = 1u; j < k; j++) {
                let z = outs[base + j];
                if (z > mx) {
                    mx = z;
                    best = j;
                }
            }
            var sum = 0.0;
            for (var j = 0u; j < k; j++) {
                sum += exp(outs[base + j] - mx);
            }
            let lse = mx + log(sum);
            loss += lse - outs[base + c];
            for (var j = 0u; j < k; j++) {
                delta[base + j] = exp(outs[base + j] - lse) - select(0.0, 1.0, j == c);
            }
            right += select(0.0, 1.0, best == c);
        } else if (prm.kind == 1u) {
            let z = outs[i];
            let t = targets[i];
            let e = exp(-abs(z));
            loss += max(z, 0.0) + log(1.0 + e) - t * z;
            let p = select(e / (1.0 + e), 1.0 / (1.0 + e), z >= 0.0);
            delta[i] = p - t;
            right += select(0.0, 1.0, (z > 0.0) == (t == 1.0));
        } else {
            for (var j = 0u; j < k; j++) {
                let e = outs[base + j] - targets[base + j];
                loss += 0.5 * e * e;
                delta[base + j] = e;
            }
        }
    }
    part_loss[lid] = loss;
    part_right[lid] = right;
    workgroupBarrier();
    for (var s = 128u; s > 0u; s >>= 1u) {
        if (lid < s) {
            part_loss[lid] += part_loss[lid + s];
            part_right[lid] += part_right[lid + s];
        }
        workgroupBarrier();
    }
    if (lid == 0u) {
        stats[step.slot * prm.stride] = part_loss[0];
        stats[step.slot * prm.stride + 1u] = part_right[0];
    }
}

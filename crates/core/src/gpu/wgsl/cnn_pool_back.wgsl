// Backpropagation through max-pooling and ReLU: the gradient of each ReLU output (h x w x c
// maps) is the gradient of the pooled value it was the maximum of (0 elsewhere: pooling
// windows do not overlap), or with `pooled` 0 the gradient given for it; then 0 where the
// ReLU output is 0.
struct Params { h: u32, w: u32, c: u32, p: u32, oh: u32, ow: u32, pooled: u32, p7: u32 }
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read> argmax: array<u32>;
@group(0) @binding(3) var<storage, read> relu: array<f32>;
@group(0) @binding(4) var<storage, read_write> dst: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
    let idx = flat_id(wid, nwg, lid);
    let h = prm.h;
    let w = prm.w;
    let c = prm.c;
    if (idx >= step.rows * h * w * c) {
        return;
    }
    var g = 0.0;
    if (prm.pooled == 0u) {
        g = grad[idx];
    } else {
        let pix = idx / c;
        let ch = idx - pix * c;
        let i = pix / (h * w);
        let pos = pix - i * h * w;
        let oy = (pos / w) / prm.p;
        let ox = (pos % w) / prm.p;
        if (oy < prm.oh && ox < prm.ow) {
            let cell = ((i * prm.oh + oy) * prm.ow + ox) * c + ch;
            if (argmax[cell] == idx) {
                g = grad[cell];
            }
        }
    }
    dst[idx] = select(0.0, g, relu[idx] > 0.0);
}

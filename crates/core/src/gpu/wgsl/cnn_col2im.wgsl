// The transpose of im2col: each element of the NHWC maps (h x w x cin) sums the entries of
// the rows that copied it. One thread per map element, so no two threads write one place.
struct Params { h: u32, w: u32, cin: u32, k: u32, p4: u32, p5: u32, p6: u32, p7: u32 }
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> dcols: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
    let idx = flat_id(wid, nwg, lid);
    let h = prm.h;
    let w = prm.w;
    let c = prm.cin;
    let k = prm.k;
    if (idx >= step.rows * h * w * c) {
        return;
    }
    let p = idx / c;
    let ch = idx - p * c;
    let i = p / (h * w);
    let pos = p - i * h * w;
    let y = pos / w;
    let x = pos - y * w;
    let pad = k / 2u;
    let row_len = k * k * c;
    var s = 0.0;
    for (var dy = 0u; dy < k; dy++) {
        // The output pixel (oy, ox) whose tap (dy, dx) is this pixel: oy = y + pad - dy.
        let oy = y + pad - dy;
        if (y + pad < dy || oy >= h) {
            continue;
        }
        for (var dx = 0u; dx < k; dx++) {
            let ox = x + pad - dx;
            if (x + pad < dx || ox >= w) {
                continue;
            }
            s += dcols[((i * h + oy) * w + ox) * row_len + (dy * k + dx) * c + ch];
        }
    }
    dst[idx] = s;
}

// im2col of a batch of NHWC maps (h x w x cin each): row r (image i, pixel y, x) holds the
// k x k neighbourhood ordered (dy, dx, channel), zeros outside the map ("same" padding).
// One thread per element of the rows.
struct Params { h: u32, w: u32, cin: u32, k: u32, p4: u32, p5: u32, p6: u32, p7: u32 }
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> cols: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
    let idx = flat_id(wid, nwg, lid);
    let h = prm.h;
    let w = prm.w;
    let c = prm.cin;
    let k = prm.k;
    let row_len = k * k * c;
    if (idx >= step.rows * h * w * row_len) {
        return;
    }
    let r = idx / row_len;
    let t = idx - r * row_len;
    let tap = t / c;
    let ch = t - tap * c;
    let dy = tap / k;
    let dx = tap - dy * k;
    let i = r / (h * w);
    let pos = r - i * h * w;
    let y = pos / w;
    let x = pos - y * w;
    let pad = k / 2u;
    // Unsigned: a position left of or above the map wraps round to a huge value.
    let sy = y + dy - pad;
    let sx = x + dx - pad;
    var v = 0.0;
    if (y + dy >= pad && x + dx >= pad && sy < h && sx < w) {
        v = src[((i * h + sy) * w + sx) * c + ch];
    }
    cols[idx] = v;
}

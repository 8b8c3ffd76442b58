// A CNN's batch of images: image i, pixel p = column pix[p] of row order[start + i] of the
// rows, or 0 for a pixel no column fills (constant columns the preparation left out).
struct Params { d: u32, hw: u32, p2: u32, p3: u32, p4: u32, p5: u32, p6: u32, p7: u32 }
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read> order: array<u32>;
@group(0) @binding(3) var<storage, read> pix: array<u32>;
@group(0) @binding(4) var<storage, read_write> dst: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
    let idx = flat_id(wid, nwg, lid);
    let hw = prm.hw;
    if (idx >= step.rows * hw) {
        return;
    }
    let i = idx / hw;
    let c = pix[idx - i * hw];
    var v = 0.0;
    if (c != 0xffffffffu) {
        v = src[order[step.start + i] * prm.d + c];
    }
    dst[idx] = v;
}

// p x p max-pooling of NHWC maps (h x w x c into oh x ow x c), remembering the index of
// each maximum in the batch's maps (the first one on ties, as the CPU).
struct Params { h: u32, w: u32, c: u32, p: u32, oh: u32, ow: u32, p6: u32, p7: u32 }
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;
@group(0) @binding(3) var<storage, read_write> argmax: array<u32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
    let idx = flat_id(wid, nwg, lid);
    let c = prm.c;
    let oh = prm.oh;
    let ow = prm.ow;
    if (idx >= step.rows * oh * ow * c) {
        return;
    }
    let cell = idx / c;
    let ch = idx - cell * c;
    let i = cell / (oh * ow);
    let pos = cell - i * oh * ow;
    let oy = pos / ow;
    let ox = pos - oy * ow;
    let p = prm.p;
    // The window's first value starts the search (a literal for -f32::MAX is rejected by
    // Chromium's WGSL compiler, which rounds it out of range).
    var best = 0.0;
    var at = 0u;
    var first = true;
    for (var dy = 0u; dy < p; dy++) {
        for (var dx = 0u; dx < p; dx++) {
            let j = ((i * prm.h + oy * p + dy) * prm.w + ox * p + dx) * c + ch;
            let v = src[j];
            if (first || v > best) {
                best = v;
                at = j;
                first = false;
            }
        }
    }
    dst[idx] = best;
    argmax[idx] = at;
}

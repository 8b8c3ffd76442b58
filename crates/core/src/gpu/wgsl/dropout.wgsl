// Inverted dropout on a hidden layer's batch outputs. Mode 0 draws the mask (each unit
// kept with probability 1 - rate, then scaled by 1 / (1 - rate)) from a counter-based hash
// of the batch's seed, the layer and the element, and writes `out = src * mask`; mode 1
// multiplies `out` (the layer's delta) by the mask drawn before.
struct Params { width: u32, mode: u32, layer: u32, rate: f32, p4: u32, p5: u32, p6: u32, p7: u32 }
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<storage, read_write> mask: array<f32>;

// PCG's output permutation as a hash (Jarzynski and Olano, "Hash Functions for GPU
// Rendering", 2020).
fn pcg(v: u32) -> u32 {
    let s = v * 747796405u + 2891336453u;
    let w = ((s >> ((s >> 28u) + 4u)) ^ s) * 277803737u;
    return (w >> 22u) ^ w;
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
    let i = flat_id(wid, nwg, lid);
    if (i >= step.rows * prm.width) {
        return;
    }
    if (prm.mode == 1u) {
        out[i] = out[i] * mask[i];
        return;
    }
    let u = f32(pcg(i ^ pcg(step.seed ^ pcg(prm.layer))) >> 8u) * (1.0 / 16777216.0);
    let m = select(1.0 / (1.0 - prm.rate), 0.0, u < prm.rate);
    mask[i] = m;
    out[i] = src[i] * m;
}

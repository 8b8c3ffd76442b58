// dst row i = src row order[start + i]: a mini-batch gathered in shuffled order.
struct Params { width: u32, p1: u32, p2: u32, p3: u32, p4: u32, p5: u32, p6: u32, p7: u32 }
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read> order: array<u32>;
@group(0) @binding(3) var<storage, read_write> dst: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
    let idx = flat_id(wid, nwg, lid);
    let w = prm.width;
    if (idx >= step.rows * w) {
        return;
    }
    let i = idx / w;
    let j = idx - i * w;
    dst[idx] = src[order[step.start + i] * w + j];
}

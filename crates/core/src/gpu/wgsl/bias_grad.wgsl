// The bias gradient: column sums of delta over the batch rows (times `per_row` matrix rows
// each, a CNN's pixels; 0 = 1), over the batch rows.
struct Params { width: u32, per_row: u32, p2: u32, p3: u32, p4: u32, p5: u32, p6: u32, p7: u32 }
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> delta: array<f32>;
@group(0) @binding(2) var<storage, read_write> grad: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
    let j = flat_id(wid, nwg, lid);
    let w = prm.width;
    if (j >= w) {
        return;
    }
    let n = step.rows;
    var s = 0.0;
    for (var i = 0u; i < n * max(prm.per_row, 1u); i++) {
        s += delta[i * w + j];
    }
    grad[j] = s * (1.0 / f32(n));
}

// Sum of squares of the weights (for the L2 penalty the objective reports), into the
// batch's stats slot. One workgroup.
struct Params { count: u32, stride: u32, p2: u32, p3: u32, p4: u32, p5: u32, p6: u32, p7: u32 }
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> stats: array<f32>;

var<workgroup> part: array<f32, 256>;

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) lid: u32) {
    var s = 0.0;
    for (var i = lid; i < prm.count; i += 256u) {
        s += w[i] * w[i];
    }
    part[lid] = s;
    workgroupBarrier();
    for (var h = 128u; h > 0u; h >>= 1u) {
        if (lid < h) {
            part[lid] += part[lid + h];
        }
        workgroupBarrier();
    }
    if (lid == 0u) {
        stats[step.slot * prm.stride + 2u] = part[0];
    }
}

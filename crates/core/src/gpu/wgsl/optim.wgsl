// One solver update over every parameter (weights and biases live in one buffer).
struct Params {
    count: u32,
    kind: u32,     // 0 sgd (with momentum), 1 adam
    nesterov: u32,
    p3: u32,
    momentum: f32,
    beta_1: f32,
    beta_2: f32,
    epsilon: f32,
}
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read_write> p: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read_write> m1: array<f32>; // velocity, or Adam's first moment
@group(0) @binding(4) var<storage, read_write> m2: array<f32>; // Adam's second moment

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
    let i = flat_id(wid, nwg, lid);
    if (i >= prm.count) {
        return;
    }
    let gi = g[i];
    if (prm.kind == 0u) {
        let lr = step.lr;
        let v = prm.momentum * m1[i] - lr * gi;
        m1[i] = v;
        if (prm.nesterov != 0u) {
            p[i] += prm.momentum * v - lr * gi;
        } else {
            p[i] += v;
        }
    } else {
        let m = prm.beta_1 * m1[i] + (1.0 - prm.beta_1) * gi;
        let s = prm.beta_2 * m2[i] + (1.0 - prm.beta_2) * gi * gi;
        m1[i] = m;
        m2[i] = s;
        p[i] -= step.adam_step * m / (sqrt(s) + prm.epsilon);
    }
}

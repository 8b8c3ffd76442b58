// Shared by every kernel (prepended to each file). One `Step` per mini-batch, in a
// 256-byte slot of a uniform buffer bound with a dynamic offset, so a whole epoch is
// encoded once and submitted once.
struct Step {
    start: u32,     // first position in the row order
    rows: u32,      // rows in this batch
    slot: u32,      // which statistics slot the batch writes
    seed: u32,      // dropout's random seed for this batch
    lr: f32,        // learning rate (sgd)
    adam_step: f32, // Adam's bias-corrected step size for this update
    pad1: f32,
    pad2: f32,
}
@group(1) @binding(0) var<uniform> step: Step;

// Element index of a 1-D job laid out over a 2-D grid of 256-wide workgroups (a grid
// dimension holds at most 65535 workgroups).
fn flat_id(wid: vec3<u32>, nwg: vec3<u32>, lid: u32) -> u32 {
    return (wid.y * nwg.x + wid.x) * 256u + lid;
}

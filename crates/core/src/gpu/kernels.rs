//! The compute kernels: WGSL sources, their bind-group layouts and pipelines, and `Op`, one
//! recorded dispatch (kernel, bound buffers, grid) that a trainer replays batch after batch.
//!
//! Every pipeline shares group 1, the per-batch `Step` read through a dynamic offset, so an
//! epoch's batches differ only in that offset and are encoded into one submission.

use std::num::NonZeroU64;

use super::context::Gpu;

/// How a kernel binds a buffer in group 0.
#[derive(Clone, Copy)]
enum Slot {
    Uniform,
    Read,
    Write,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kernel {
    Gather,
    Matmul,
    Loss,
    SqNorm,
    BiasGrad,
    Optim,
    Dropout,
    // The CNN's own (cnn_train.rs).
    CnnImage,
    CnnIm2col,
    CnnCol2im,
    CnnPool,
    CnnPoolBack,
}

const KERNELS: [Kernel; 12] = [
    Kernel::Gather,
    Kernel::Matmul,
    Kernel::Loss,
    Kernel::SqNorm,
    Kernel::BiasGrad,
    Kernel::Optim,
    Kernel::Dropout,
    Kernel::CnnImage,
    Kernel::CnnIm2col,
    Kernel::CnnCol2im,
    Kernel::CnnPool,
    Kernel::CnnPoolBack,
];

impl Kernel {
    fn source(self) -> &'static str {
        macro_rules! wgsl {
            ($f:literal) => {
                concat!(include_str!("wgsl/common.wgsl"), include_str!(concat!("wgsl/", $f)))
            };
        }
        match self {
            Kernel::Gather => wgsl!("gather.wgsl"),
            Kernel::Matmul => wgsl!("matmul.wgsl"),
            Kernel::Loss => wgsl!("loss.wgsl"),
            Kernel::SqNorm => wgsl!("sqnorm.wgsl"),
            Kernel::BiasGrad => wgsl!("bias_grad.wgsl"),
            Kernel::Optim => wgsl!("optim.wgsl"),
            Kernel::Dropout => wgsl!("dropout.wgsl"),
            Kernel::CnnImage => wgsl!("cnn_image.wgsl"),
            Kernel::CnnIm2col => wgsl!("cnn_im2col.wgsl"),
            Kernel::CnnCol2im => wgsl!("cnn_col2im.wgsl"),
            Kernel::CnnPool => wgsl!("cnn_pool.wgsl"),
            Kernel::CnnPoolBack => wgsl!("cnn_pool_back.wgsl"),
        }
    }

    fn slots(self) -> &'static [Slot] {
        use Slot::*;
        match self {
            Kernel::Gather => &[Uniform, Read, Read, Write],
            Kernel::Matmul => &[Uniform, Read, Read, Read, Read, Write],
            Kernel::Loss => &[Uniform, Read, Read, Write, Write],
            Kernel::SqNorm => &[Uniform, Read, Write],
            Kernel::BiasGrad => &[Uniform, Read, Write],
            Kernel::Optim => &[Uniform, Write, Read, Write, Write],
            Kernel::Dropout => &[Uniform, Read, Write, Write],
            Kernel::CnnImage => &[Uniform, Read, Read, Read, Write],
            Kernel::CnnIm2col | Kernel::CnnCol2im => &[Uniform, Read, Write],
            Kernel::CnnPool => &[Uniform, Read, Write, Write],
            Kernel::CnnPoolBack => &[Uniform, Read, Read, Read, Write],
        }
    }
}

pub(crate) struct Kernels {
    layouts: Vec<wgpu::BindGroupLayout>,
    pipelines: Vec<wgpu::ComputePipeline>,
    pub(crate) step_layout: wgpu::BindGroupLayout,
}

/// Bytes per `Step` slot: the largest uniform offset alignment WebGPU allows.
pub(crate) const STEP_STRIDE: u64 = 256;

fn entry(binding: u32, ty: wgpu::BufferBindingType, dynamic: bool) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::COMPUTE,
        ty: wgpu::BindingType::Buffer { ty, has_dynamic_offset: dynamic, min_binding_size: None },
        count: None,
    }
}

impl Kernels {
    pub(crate) fn new(device: &wgpu::Device) -> Kernels {
        let step_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("step"),
            entries: &[entry(0, wgpu::BufferBindingType::Uniform, true)],
        });
        let mut layouts = Vec::new();
        let mut pipelines = Vec::new();
        for k in KERNELS {
            let entries: Vec<_> = k
                .slots()
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let ty = match s {
                        Slot::Uniform => wgpu::BufferBindingType::Uniform,
                        Slot::Read => wgpu::BufferBindingType::Storage { read_only: true },
                        Slot::Write => wgpu::BufferBindingType::Storage { read_only: false },
                    };
                    entry(i as u32, ty, false)
                })
                .collect();
            let layout =
                device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor { label: None, entries: &entries });
            let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
                label: None,
                bind_group_layouts: &[&layout, &step_layout],
                push_constant_ranges: &[],
            });
            let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
                label: Some(&format!("{k:?}")),
                source: wgpu::ShaderSource::Wgsl(k.source().into()),
            });
            pipelines.push(device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(&format!("{k:?}")),
                layout: Some(&pipeline_layout),
                module: &module,
                entry_point: Some("main"),
                compilation_options: Default::default(),
                cache: None,
            }));
            layouts.push(layout);
        }
        Kernels { layouts, pipelines, step_layout }
    }

    fn index(k: Kernel) -> usize {
        KERNELS.iter().position(|&x| x == k).expect("a listed kernel")
    }
}

/// A view of `floats` 4-byte values of a buffer from float `offset` on. Offsets must be
/// multiples of 64 floats (256 bytes, the largest storage-offset alignment WebGPU allows).
#[derive(Clone, Copy)]
pub(crate) struct View<'a> {
    pub buffer: &'a wgpu::Buffer,
    pub offset: usize,
    pub floats: usize,
}

impl<'a> View<'a> {
    pub fn all(buffer: &'a wgpu::Buffer) -> View<'a> {
        View { buffer, offset: 0, floats: (buffer.size() / 4) as usize }
    }

    pub fn at(buffer: &'a wgpu::Buffer, offset: usize, floats: usize) -> View<'a> {
        View { buffer, offset, floats: floats.max(1) }
    }
}

/// The grid of a dispatch, as a function of the batch's row count where it depends on it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Grid {
    /// One thread per element, `count` elements.
    Flat(u32),
    /// One thread per element of a `rows x width` batch matrix.
    FlatRows(u32),
    /// A single workgroup.
    Single,
    /// 64 x 64 tiles of a `rows x cols` result; `rows: None` is the batch's row count.
    Tiles { rows: Option<u32>, cols: u32 },
}

/// Workgroups for `count` elements at 256 per group, folded into two dimensions.
fn linear(count: u32) -> (u32, u32) {
    let groups = count.div_ceil(256).max(1);
    if groups <= 65535 {
        (groups, 1)
    } else {
        (65535, groups.div_ceil(65535))
    }
}

impl Grid {
    pub fn size(self, rows: u32) -> (u32, u32) {
        match self {
            Grid::Flat(n) => linear(n),
            Grid::FlatRows(w) => linear(rows * w),
            Grid::Single => (1, 1),
            Grid::Tiles { rows: r, cols } => (cols.div_ceil(64).max(1), r.unwrap_or(rows).div_ceil(64).max(1)),
        }
    }
}

/// One recorded dispatch.
pub(crate) struct Op {
    kernel: Kernel,
    group: wgpu::BindGroup,
    grid: Grid,
}

impl Op {
    /// `params` goes to binding 0, `views` to bindings 1.. in the kernel's order.
    pub fn new(gpu: &Gpu, kernel: Kernel, params: [u32; 8], views: &[View], grid: Grid) -> Op {
        let uniform = gpu.params(params);
        assert_eq!(views.len() + 1, kernel.slots().len(), "{kernel:?} binds {} buffers", kernel.slots().len() - 1);
        let mut entries = vec![wgpu::BindGroupEntry { binding: 0, resource: uniform.as_entire_binding() }];
        for (i, v) in views.iter().enumerate() {
            entries.push(wgpu::BindGroupEntry {
                binding: i as u32 + 1,
                resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                    buffer: v.buffer,
                    offset: 4 * v.offset as u64,
                    size: NonZeroU64::new(4 * v.floats as u64),
                }),
            });
        }
        let group = gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: None,
            layout: &gpu.kernels.layouts[Kernels::index(kernel)],
            entries: &entries,
        });
        Op { kernel, group, grid }
    }

    pub fn record(&self, gpu: &Gpu, pass: &mut wgpu::ComputePass, rows: u32) {
        let (x, y) = self.grid.size(rows);
        pass.set_pipeline(&gpu.kernels.pipelines[Kernels::index(self.kernel)]);
        pass.set_bind_group(0, &self.group, &[]);
        pass.dispatch_workgroups(x, y, 1);
    }
}

/// Per-batch values as the kernels read them (`Step` in common.wgsl).
#[derive(Clone, Copy, Default)]
pub(crate) struct Step {
    pub start: u32,
    pub rows: u32,
    pub slot: u32,
    pub lr: f32,
    pub adam_step: f32,
    /// Dropout's seed for this batch.
    pub seed: u32,
}

/// The steps laid out at `STEP_STRIDE`, and the uniform buffer and bind group holding them.
pub(crate) struct Steps {
    pub buffer: wgpu::Buffer,
    pub group: wgpu::BindGroup,
}

impl Steps {
    pub fn new(gpu: &Gpu, capacity: usize) -> Steps {
        let buffer = gpu.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("steps"),
            size: STEP_STRIDE * capacity.max(1) as u64,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let group = gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("steps"),
            layout: &gpu.kernels.step_layout,
            entries: &[wgpu::BindGroupEntry {
                binding: 0,
                resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                    buffer: &buffer,
                    offset: 0,
                    size: NonZeroU64::new(32),
                }),
            }],
        });
        Steps { buffer, group }
    }

    pub fn write(&self, gpu: &Gpu, steps: &[Step]) {
        let mut bytes = vec![0u8; steps.len() * STEP_STRIDE as usize];
        for (s, out) in steps.iter().zip(bytes.chunks_exact_mut(STEP_STRIDE as usize)) {
            let words = [s.start, s.rows, s.slot, s.seed, s.lr.to_bits(), s.adam_step.to_bits(), 0, 0];
            out[..32].copy_from_slice(&super::context::u32_bytes(&words));
        }
        gpu.queue.write_buffer(&self.buffer, 0, &bytes);
    }

    /// Bind step `i` for the dispatches that follow.
    pub fn bind(&self, pass: &mut wgpu::ComputePass, i: usize) {
        pass.set_bind_group(1, &self.group, &[(i as u64 * STEP_STRIDE) as u32]);
    }
}

/// Matmul flags (see matmul.wgsl).
pub(crate) mod mm {
    pub const A_T: u32 = 1;
    pub const B_T: u32 = 2;
    pub const M_BATCH: u32 = 4;
    pub const K_BATCH: u32 = 8;
    pub const BIAS_ACT: u32 = 1 << 4;
    pub const WEIGHT_GRAD: u32 = 2 << 4;
    pub const TIMES_DERIV: u32 = 3 << 4;
    pub const fn act(code: u32) -> u32 {
        code << 8
    }
}

// Where the site is and how the tests start Chromium: Debian's build, headless, with the
// flags that keep it quiet on a machine with no outside network (/work/shared/TOOLCHAIN.md).
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

const BASE_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

// WebGPU without a GPU: SwiftShader's Vulkan.
const WEBGPU_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan,WebGPU',
  '--use-vulkan=swiftshader',
  '--use-angle=swiftshader',
  '--disable-vulkan-surface',
];

const SITE_URL = process.env.MLPLAY_URL || 'http://127.0.0.1:8099/';

module.exports = { CHROMIUM, BASE_ARGS, WEBGPU_ARGS, SITE_URL };

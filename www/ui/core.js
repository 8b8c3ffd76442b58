// The core's bindings on the page, from the build www/boot.js chose (threads or not).
// Every module of the page imports the core from here, never from a pkg folder.

export const CORE_DIR = document.documentElement.dataset.core || 'pkg';
const core = await import(new URL(`../../${CORE_DIR}/mlplay.js`, import.meta.url).href);

export const {
  default: init, catalog, decode_link, default_state, encode_link, model_file_state, parse_exercise,
  record_test_evaluation, state_change, test_unlocked, paint_edit,
  draw_scatter_plot, draw_loss_chart, draw_curve_chart, draw_xy_chart, draw_sweep_chart,
} = core;

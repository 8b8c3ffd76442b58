// The class colours, as crates/app/src/charts/palette.rs chose and tests them (every pair at least
// CIEDE2000 15 apart, at least 10 under protanopia, deuteranopia and tritanopia); a Rust
// test checks that this copy matches. Past the tenth class the colours repeat, drawn hollow.
export const CLASS_COLORS = ['#0072b2', '#e69f00', '#009673', '#b90079', '#00cadf', '#a5694b', '#a677ff', '#596d00', '#c187a0', '#acb57b'];

export const classColor = (i) => CLASS_COLORS[i % CLASS_COLORS.length];
export const isHollow = (i) => i >= CLASS_COLORS.length;

// One of the two workers of grow_race.html: instantiates the module on the shared memory,
// then runs the export it is asked for and says whether it trapped.
let instance;
onmessage = async ({ data }) => {
  if (data.memory) {
    const module = await WebAssembly.compile(await (await fetch('grow_race.wasm')).arrayBuffer());
    instance = await WebAssembly.instantiate(module, { e: { mem: data.memory } });
    postMessage({ ready: true });
    return;
  }
  try {
    postMessage({ result: instance.exports[data.run]() });
  } catch (e) {
    postMessage({ trap: String(e) });
  }
};

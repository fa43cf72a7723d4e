// The benchmark page: scripts/bench.mjs opens it in a fresh browser context per measurement, sets
// the export on the file input, calls `bench.prepare(engine)` (instantiation, not timed) and then
// `bench.run(engine, kind)`, which returns the seconds, memory figures and a summary of the results
// that the runner compares across engines.

import * as shoplens from './shoplens.js';
import * as duck from './duckdb.js';
import * as papa from './papa.js';

const file = () => {
  const f = document.getElementById('file').files[0];
  if (!f) throw new Error('no file chosen');
  return f;
};

window.bench = {
  async prepare(engine) {
    const partWorkers = { 'shoplens-2w': 1, 'shoplens-4w': 3 }[engine] ?? 0;
    if (engine.startsWith('shoplens') || engine === 'scan') await shoplens.prepare(partWorkers);
    if (engine === 'duckdb') await duck.prepare();
  },
  /**
   * `encoding`: the file's encoding ('utf-8' | 'gbk'); `kind`: 'orders' | 'events'; `layout`:
   * undefined for the 销售明细 / Tianchi files, 'narrow' / 'iso' for the narrow ones (issue 15).
   */
  async run(engine, kind, encoding, layout) {
    switch (engine) {
      case 'shoplens':
        return shoplens.runShoplens(file());
      case 'shoplens-2w':
        return shoplens.runShoplensParallel(file(), 2);
      case 'shoplens-4w':
        return shoplens.runShoplensParallel(file(), 4);
      case 'shoplens-object':
        return shoplens.runShoplensObject(file());
      case 'shoplens-json':
        return shoplens.runShoplensJson(file());
      case 'scan':
        return shoplens.runScan(file());
      case 'duckdb':
        return duck.runDuckdb(file(), kind, encoding, layout);
      case 'papaparse':
        return papa.runPapa(file(), kind, encoding, layout);
      default:
        throw new Error(`unknown engine ${engine}`);
    }
  },
};
window.benchReady = true;

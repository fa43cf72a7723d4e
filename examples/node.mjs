// shoplens in Node: analyse exports read from disk and print the headline figures.
//
//   node node.mjs ExportOrderList.csv [more exports …]
//
// Each file is streamed from disk (fs.createReadStream), so a multi-GB export never sits whole in
// memory. Amounts in the report are integer cents.

import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { analyze } from 'shoplens';

const paths = process.argv.slice(2);
if (paths.length === 0) {
  console.error('usage: node node.mjs <export.csv> [more exports …]');
  process.exit(2);
}

const files = paths.map((path) => ({ name: basename(path), data: createReadStream(path) }));
const report = await analyze(files);

for (const load of report.loads) {
  const what = `${load.platform ?? 'unknown platform'} ${load.kind ?? 'unknown kind'}`;
  const problem = load.error ? ` (${load.error.code}: ${load.error.message})` : '';
  console.log(`${load.file}: ${what}, ${load.rows_used} of ${load.rows_read} rows used${problem}`);
}

if (report.kpi.status === 'ready') {
  const { gmv, paid_orders: paidOrders } = report.kpi.data.total;
  console.log(`GMV: ${(gmv / 100).toFixed(2)}`);
  console.log(`Paid orders: ${paidOrders}`);
} else {
  console.log(`No KPIs: load ${report.kpi.reason.needs}`);
}

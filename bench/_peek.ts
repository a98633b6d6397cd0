// scratch helper, not committed
import { snapshotLines } from '../shared/log/snapshot-lines';
import { explainSignature } from '../shared/signature/compute-signature';
import { loadCidiff, loadLogChunks, loadPytorchFixtures, readLog } from './shared-data';
import { snapshotOfLog } from './snapshot-of-log';

const off = new Set((process.env.OFF ?? '').split(',').filter(Boolean));
const ids = process.argv.slice(2);
const all = [...loadLogChunks(), ...loadCidiff(), ...loadPytorchFixtures()];
for (const id of ids) {
  const log = all.find((l) => l.id === id)!;
  const lines = snapshotLines(snapshotOfLog(readLog(log)));
  const { signature, details } = explainSignature(lines, { withoutRules: off });
  const r = log.ranges[0]!;
  const key = signature.keyLines[0]?.line ?? 0;
  console.log(`== ${id} label ${r.first}-${r.last} key ${key} ${signature.rule} ${signature.strength}`);
  const lo = Math.min(r.first, key) - 8,
    hi = Math.max(r.last, key) + 4;
  for (const l of lines)
    if (
      l.line >= lo &&
      l.line <= hi &&
      ((l.line <= r.last + (Number(process.env.AFTER) || 4) && l.line >= r.first - 8) ||
        Math.abs(l.line - key) < 5)
    )
      console.log(
        `${l.line >= r.first && l.line <= r.last ? 'L' : ' '}${l.line === key ? 'K' : ' '} ${l.line} ${l.text.slice(0, 170)}`,
      );
  for (const d of details) console.log(`  detail ${d.line} ${d.text.slice(0, 120)}`);
}

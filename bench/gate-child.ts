/**
 * Runs {@link benchGateFile} in a process of its own on a report another process wrote, so its peak memory
 * is the gate's alone; prints JSON. Usage: tsx bench/gate-child.ts FILE FINDINGS RUNS
 */
import { benchGateFile } from './gate.ts';

const [file, findings = '100000', runs = '5'] = process.argv.slice(2);
if (!file) throw new Error('usage: gate-child.ts FILE [FINDINGS] [RUNS]');
process.stdout.write(`${JSON.stringify(await benchGateFile(file, Number(findings), Number(runs)))}\n`);

/** Runs {@link benchGate} in a process of its own, so its peak memory is the gate's alone; prints JSON. */
import { benchGate } from './gate.ts';

const findings = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 5);
process.stdout.write(`${JSON.stringify(await benchGate(findings, runs))}\n`);

// Times a whole command as a person at a shell meets it: run from this small process, not from the bench's
// own (a parent holding a large heap makes every spawn slower, which would be counted to the command).
//
//   node bench/timed-runs.mjs RUNS COMMAND [ARGUMENTS …]
//
// One warm-up run, then RUNS timed runs one after another, each from spawn until its output is closed.
// Prints one JSON object: { code, runsMs, stdout, stderr } (stdout and stderr of the last run; at the first
// run that fails, its code and output, and the runs timed before it).
import { spawn } from 'node:child_process';

function timedRun(command, args) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => resolve({ code: null, stdout, stderr: String(error), ms: performance.now() - started }));
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

const [runsText, command, ...args] = process.argv.slice(2);
const runs = Number(runsText);
if (!(Number.isInteger(runs) && runs > 0) || !command) {
  console.error('usage: node bench/timed-runs.mjs RUNS COMMAND [ARGUMENTS …]');
  process.exit(2);
}
const runsMs = [];
let last = await timedRun(command, args);
for (let run = 0; run < runs && last.code === 0; run++) {
  last = await timedRun(command, args);
  if (last.code === 0) runsMs.push(last.ms);
}
process.stdout.write(JSON.stringify({ code: last.code, runsMs, stdout: last.stdout, stderr: last.stderr }));

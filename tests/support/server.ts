// The server as its own process (`node --import tsx server/main.ts`), on a free loopback port, for tests that
// need what only a real process shows: several processes on one database, the README's curl examples.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** A loopback port free at the moment of asking. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((listening) => probe.listen(0, '127.0.0.1', listening));
  const { port } = probe.address() as AddressInfo;
  await new Promise((closed) => probe.close(closed));
  return port;
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** What the process wrote to stdout and stderr, as it came. */
  output: string[];
  exited: Promise<number | null>;
}

/** Starts a server process on a free port with only these settings (besides PATH, HOME, PORT and HOST). */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, port, output, exited };
}

/** What a server process printed, headed by its port, for a failing test's message. */
export const outputOf = (server: ServerProcess) => `--- server on port ${server.port} said:\n${server.output.join('')}`;

/**
 * Kills with SIGKILL every process in `servers` still running; also called when the test process exits, so no
 * server outlives the run even if vitest itself is torn down.
 */
export function killerOf(servers: readonly ServerProcess[]): () => void {
  const killAll = () => {
    for (const server of servers) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  };
  process.once('exit', killAll);
  return killAll;
}

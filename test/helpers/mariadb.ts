import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from './cli.ts';

const MARIADBD = '/usr/sbin/mariadbd';

/**
 * Why MariaDB cannot run here, or undefined when it can. scripts/central-ledger.sh installs it
 * (CI runs it), so with CI=true a missing one is a failure, never a skip.
 */
export function mariadbMissing(): string | undefined {
  if (!existsSync(MARIADBD)) return `${MARIADBD} is missing: apt-get install -y mariadb-server (npm run central-ledger -- install does it, as root)`;
  if (spawnSync('mariadb-install-db', ['--help'], { stdio: 'ignore', timeout: 10_000 }).error) return 'mariadb-install-db is not on PATH (package mariadb-server)';
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A MariaDB server of this test's own — a fresh data folder, a free port on 127.0.0.1, a user
 * with a password — so the test touches neither central-ledger's database nor another test's.
 * `kill()` is kill -9 (the database dying under the hub); `start()` brings it back on the same
 * folder and port.
 */
export class TestMariaDb {
  readonly user = 'hubtest';
  readonly password = 'hub-test-secret';
  readonly database = 'refhub';
  port = 0;
  #dir = '';
  #child: ChildProcess | undefined;

  get url(): string {
    return `mysql://${this.user}:${this.password}@127.0.0.1:${this.port}/${this.database}`;
  }

  static async create(): Promise<TestMariaDb> {
    const db = new TestMariaDb();
    db.#dir = await tempDir('mariadb');
    db.port = await freePort();
    const install = spawnSync('mariadb-install-db', ['--no-defaults', `--datadir=${join(db.#dir, 'data')}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'],
      { encoding: 'utf8', timeout: 120_000 });
    if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${(install.stderr || install.stdout).trim().split('\n').at(-1)}`);
    await db.start();
    return db;
  }

  /** Starts mariadbd and waits (bounded) until it accepts connections. */
  async start(): Promise<void> {
    const init = join(this.#dir, 'init.sql');
    writeFileSync(init, `CREATE DATABASE IF NOT EXISTS ${this.database};
CREATE USER IF NOT EXISTS '${this.user}'@'%' IDENTIFIED BY '${this.password}';
GRANT ALL PRIVILEGES ON ${this.database}.* TO '${this.user}'@'%';
FLUSH PRIVILEGES;\n`);
    this.#child = spawn(MARIADBD, ['--no-defaults', '--user=root', `--datadir=${join(this.#dir, 'data')}`, `--socket=${join(this.#dir, 'mysqld.sock')}`,
      `--pid-file=${join(this.#dir, 'mysqld.pid')}`, `--port=${this.port}`, '--bind-address=127.0.0.1', '--skip-name-resolve', `--init-file=${init}`,
      '--innodb-buffer-pool-size=32M', '--skip-log-bin'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    this.#child.stderr!.on('data', (chunk: Buffer) => { log = (log + chunk.toString()).slice(-4000); });
    const started = Date.now();
    while (!/ready for connections/.test(log)) {
      if (this.#child.exitCode !== null) throw new Error(`mariadbd exited at start: ${log.trim().split('\n').at(-1)}`);
      if (Date.now() - started > 60_000) throw new Error(`mariadbd was not ready within 60 s: ${log.trim().split('\n').at(-1)}`);
      await sleep(100);
    }
  }

  /** kill -9: the server dies with open connections, as a killed database container does. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    // Bounded: a server that does not shut down in 20 s is killed.
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
}

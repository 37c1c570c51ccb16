import { strict as assert } from 'node:assert';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual, promisify } from 'node:util';
import { writeSimConnectionFiles, type SimConnectionFiles } from '../../../src/cli/simConnectionFile';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import { cliHarness, type JsonRow } from './cliHarness';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const SESSION_LIMIT_MS = 20_000;

/**
 * Runs inside the D-Bus session: drives the built CLI as a user would, and reports what each
 * step did as one JSON line. It never prints the token itself.
 */
const DRIVER = String.raw`
const { spawnSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const [cli, config, tokenFile, keytarPath] = process.argv.slice(2);
const token = readFileSync(tokenFile, 'utf8');
const run = (args, input) => {
  const r = spawnSync(process.execPath, [cli, ...args], { input: input ?? '', encoding: 'utf8', timeout: 15000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, error: r.error ? String(r.error) : null };
};
(async () => {
  const keytar = require(keytarPath);
  const login = run(['login', '--config', config, '--connection', 'sim-jwt'], token + '\n');
  const stored = await keytar.getPassword('license-steward', 'sim-jwt');
  const rank = run(['rank', '--config', config, '--connection', 'sim-jwt', '--format', 'json']);
  const deleted = await keytar.deletePassword('license-steward', 'sim-jwt');
  const afterDelete = run(['rank', '--config', config, '--connection', 'sim-jwt']);
  console.log(JSON.stringify({ login, storedIsToken: stored === token, rank, deleted, afterDelete }));
})().catch((e) => {
  console.log(JSON.stringify({ driverError: String(e && e.stack || e) }));
});
`;

interface Step {
  status: number | null;
  stdout: string;
  stderr: string;
  error: string | null;
}
interface Report {
  driverError?: string;
  login: Step;
  storedIsToken: boolean;
  rank: Step;
  deleted: boolean;
  afterDelete: Step;
}

function missingTools(): string[] {
  return ['dbus-run-session', 'gnome-keyring-daemon'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
}

/** Runs `command` in a fresh D-Bus session with an unlocked gnome-keyring, as CI does (.ci/run). */
function inKeyringSession(command: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = `eval "$(printf ci-password | gnome-keyring-daemon --unlock --components=secrets)"; export GNOME_KEYRING_CONTROL; ${command}`;
  return new Promise((resolve, reject) => {
    const child = spawn('dbus-run-session', ['--', 'sh', '-c', script], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) {
        process.kill(-child.pid, 'SIGKILL');
      }
      reject(new Error(`the keyring session did not finish within ${SESSION_LIMIT_MS} ms.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, SESSION_LIMIT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('license-steward login with the real OS keychain (keytar, gnome-keyring)', function () {
  this.timeout(45_000);
  let sim: QrsSimulator;
  let files: SimConnectionFiles;
  let dir: string;

  before(async () => {
    // What users run: the bundle, built here from the current sources.
    await promisify(execFile)(process.execPath, ['esbuild.js'], { cwd: ROOT });
    dir = await mkdtemp(path.join(tmpdir(), 'ls-keychain-'));
    sim = await startQrsSimulator({ users: 40, seed: 4 });
    files = await writeSimConnectionFiles(sim, path.join(dir, 'site'));
  });
  after(async () => {
    await sim?.close();
    if (dir) {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stores a JWT piped to "login", ranks with it from the keychain alone, and deletes it', async () => {
    const missing = missingTools();
    assert.deepEqual(
      missing,
      [],
      `${missing.join(' and ')} not found: the keychain test needs a D-Bus session and gnome-keyring. Install dbus and gnome-keyring: npm run test:install (as root) does.`,
    );
    let keytarPath: string;
    try {
      keytarPath = require.resolve('keytar', { paths: [ROOT] });
    } catch {
      assert.fail('keytar is not installed (an optional dependency, built from source with libsecret-1-dev, which npm ci skips without it): run npm run test:install.');
    }
    assert.ok(existsSync(CLI), `${CLI} was built`);

    const home = path.join(dir, 'home');
    await mkdir(home);
    const tokenFile = path.join(dir, 'token');
    await writeFile(tokenFile, files.jwtEnv.value, { mode: 0o600 });
    const driver = path.join(dir, 'driver.js');
    await writeFile(driver, DRIVER);
    // A fresh home (so a fresh keyring), and no secret in the environment: the token can only come from the keychain.
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: home, XDG_DATA_HOME: path.join(home, '.local', 'share'), LANG: 'C.UTF-8' };
    assert.ok(!Object.keys(env).some((k) => k.startsWith('LICENSE_STEWARD_SECRET_')));

    const { cli } = cliHarness(() => Date.now());
    const expected = async () => {
      const r = await cli(['rank', '--config', files.configFile, '--connection', 'sim', '--format', 'json']);
      assert.equal(r.code, 0, r.errors.join('\n'));
      return JSON.parse(r.out) as JsonRow[];
    };
    const before = await expected();
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const session = await inKeyringSession(
      `exec ${[process.execPath, driver, CLI, files.configFile, tokenFile, keytarPath].map(q).join(' ')}`,
      env,
    );
    const after = await expected();

    assert.equal(session.code, 0, `the keyring session failed.\nstdout: ${session.stdout}\nstderr: ${session.stderr}`);
    const lastLine = session.stdout.trim().split('\n').pop() ?? '';
    const report = JSON.parse(lastLine) as Report;
    assert.equal(report.driverError, undefined, report.driverError);

    assert.deepEqual(report.login, { status: 0, stdout: 'Stored the secret for "sim-jwt" in the OS keychain.\n', stderr: '', error: null }, 'login');
    assert.equal(report.storedIsToken, true, 'the OS keychain holds the token under license-steward/sim-jwt');

    assert.equal(report.rank.stderr, '', 'rank wrote no warning or error');
    assert.equal(report.rank.status, 0);
    const ranked = JSON.parse(report.rank.stdout) as JsonRow[];
    assert.ok(ranked.length > 10, `a ranking: ${ranked.length} rows`);
    // The same site ranked in-process just before and just after (a day boundary may fall between).
    if (!isDeepStrictEqual(ranked, after)) {
      assert.deepEqual(ranked, before);
    }

    assert.equal(report.deleted, true, 'the secret was deleted from the keychain');
    assert.equal(report.afterDelete.status, 2, 'without the keychain entry, rank cannot authenticate');
    assert.equal(
      report.afterDelete.stderr,
      'error: Connection "sim-jwt" uses JWT and no token is stored; set the environment variable LICENSE_STEWARD_SECRET_SIM_JWT, or store it in the OS keychain with "license-steward login --connection sim-jwt".\n',
    );

    for (const step of [report.login, report.rank, report.afterDelete]) {
      assert.ok(!step.stdout.includes(files.jwtEnv.value) && !step.stderr.includes(files.jwtEnv.value), 'the token never appears in output');
    }
    assert.ok(!session.stdout.includes(files.jwtEnv.value) && !session.stderr.includes(files.jwtEnv.value));
  });
});

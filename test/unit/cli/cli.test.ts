import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeSimConnectionFiles, type SimConnectionFiles } from '../../../src/cli/simConnectionFile';
import { DAY_MS } from '../../../src/core/model';
import { startQrsSimulator, type QrsSimulator } from '../../../src/sim/qrs/qrsSimulator';
import { cliHarness, fakeKeychain, type JsonRow } from './cliHarness';
import { COMMAND_HELP } from '../../../src/cli/commandHelp';
import { COMMANDS } from '../../../src/cli/commands';

/** A fixed simulator clock, so every run of these tests sees the same site. */
const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);
const ROW_FIELDS = ['rank', 'userDirectory', 'userId', 'name', 'loginPasses', 'tokens', 'capacityMinutes', 'allocation', 'verdict', 'reason'];
const CSV_HEADER = 'rank,userDirectory,userId,name,loginPasses,tokens,capacityMinutes,allocationKind,allocationId,quarantined,lastUsed,verdict,reason';
const RANK_USAGE = 'Usage: license-steward rank --config FILE --connection NAME [--window-days 28] [--format table|json|csv] [--top N] [--feature NAME|ID (License Statistics)]';

const dirs: string[] = [];
async function tempDir(tag: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `ls-cli-${tag}-`));
  dirs.push(dir);
  return dir;
}

/** Secrets handed to runs; none may appear in any output or log line. */
const secrets: string[] = [];
let simClock: () => number = () => Date.now();
const { cli, transcript } = cliHarness(() => simClock());

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function rows(out: string): JsonRow[] {
  return JSON.parse(out) as JsonRow[];
}

/** Writes a config with edited copies of the simulator's connections next to its PEM files. */
async function writeConfig(files: SimConnectionFiles, name: string, edit: (connections: Record<string, unknown>[]) => unknown[]): Promise<string> {
  const config = JSON.parse(await readFile(files.configFile, 'utf8')) as { connections: Record<string, unknown>[] };
  const file = path.join(path.dirname(files.configFile), name);
  await writeFile(file, JSON.stringify({ connections: edit(config.connections) }));
  return file;
}

function byName(connections: Record<string, unknown>[], name: string): Record<string, unknown> & { auth: Record<string, unknown> } {
  const c = connections.find((x) => x['name'] === name);
  assert.ok(c, name);
  return c as Record<string, unknown> & { auth: Record<string, unknown> };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('license-steward CLI (in-process)', function () {
  this.timeout(30_000);

  after(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  describe('rank on the Qlik Community sample', () => {
    let sim: QrsSimulator;
    let files: SimConnectionFiles;
    before(async () => {
      sim = await startQrsSimulator({ sample: 'community' });
      files = await writeSimConnectionFiles(sim, await tempDir('community'));
      simClock = () => sim.clock.now();
    });
    after(async () => {
      await sim.close();
    });

    it('--format json prints the two users of the thread, with every documented field', async () => {
      const r = await cli(['rank', '--config', files.configFile, '--connection', 'sim', '--format', 'json']);
      assert.deepEqual(r.errors, []);
      assert.equal(r.code, 0);
      const got = rows(r.out);
      for (const row of got) {
        assert.deepEqual(Object.keys(row), ROW_FIELDS);
      }
      assert.deepEqual(got, [
        {
          rank: 1,
          userDirectory: 'SECURITYRULE',
          userId: 'tokenusage',
          name: 'tokenusage',
          loginPasses: 2,
          tokens: 0.2,
          capacityMinutes: 0,
          allocation: null,
          verdict: 'keep',
          reason: '2 login passes in 28 days = 0.2 tokens; a user access pass costs 1 token → keep on login passes (8 login passes more to break even)',
        },
        {
          rank: 2,
          userDirectory: 'SECURITYRULE',
          userId: 'tokenusage2',
          name: 'tokenusage2',
          loginPasses: 1,
          tokens: 0.1,
          capacityMinutes: 0,
          allocation: null,
          verdict: 'keep',
          reason: '1 login pass in 28 days = 0.1 tokens; a user access pass costs 1 token → keep on login passes (9 login passes more to break even)',
        },
      ]);
    });

    it('an empty result exits 0 with "[]" and warns that the account may lack rights', async () => {
      // A year later the sample's three records are out of every window.
      const r = await cli(['rank', '--config', files.configFile, '--connection', 'sim', '--format', 'json'], { now: () => sim.clock.now() + 365 * DAY_MS });
      assert.equal(r.code, 0);
      assert.deepEqual(rows(r.out), []);
      assert.equal(r.warnings.length, 1);
      assert.match(r.warnings[0] ?? '', /no license usage or allocations were returned.*account may lack rights to read license data.*RootAdmin/);
    });
  });

  describe('on a generated site', () => {
    let sim: QrsSimulator;
    let files: SimConnectionFiles;
    let jsonRows: JsonRow[];
    before(async () => {
      sim = await startQrsSimulator({ users: 150, seed: 3, now: NOW });
      files = await writeSimConnectionFiles(sim, await tempDir('site'));
      secrets.push(files.jwtEnv.value);
      simClock = () => sim.clock.now();
    });
    after(async () => {
      await sim.close();
    });

    describe('rank', () => {
      it('ranks the same through the certificate, header and JWT connections', async () => {
        const viaCert = await cli(['rank', '--config', files.configFile, '--connection', 'sim', '--format', 'json']);
        const viaHeader = await cli(['rank', '--config', files.configFile, '--connection', 'sim-header', '--format', 'json']);
        assert.equal(files.jwtEnv.name, 'LICENSE_STEWARD_SECRET_SIM_JWT');
        const viaJwt = await cli(['rank', '--config', files.configFile, '--connection', 'SIM-JWT', '--format', 'json'], { env: { [files.jwtEnv.name]: files.jwtEnv.value } });
        for (const r of [viaCert, viaHeader, viaJwt]) {
          assert.deepEqual(r.errors, []);
          assert.equal(r.code, 0);
        }
        jsonRows = rows(viaCert.out);
        assert.ok(jsonRows.length > 50, `a real ranking: ${jsonRows.length} rows`);
        assert.deepEqual(rows(viaHeader.out), jsonRows);
        assert.deepEqual(rows(viaJwt.out), jsonRows);
        assert.deepEqual(jsonRows.map((r) => r.rank), jsonRows.map((_r, i) => i + 1));
        for (let i = 1; i < jsonRows.length; i++) {
          assert.ok((jsonRows[i - 1]?.tokens ?? 0) >= (jsonRows[i]?.tokens ?? 0), 'ordered by tokens');
        }
        assert.ok(jsonRows.some((r) => r.verdict === 'assign'), 'someone to assign');
        assert.ok(jsonRows.some((r) => r.allocation?.quarantined), 'a quarantined pass');
      });

      it('--format csv has the header and one row per user, in rank order', async () => {
        const r = await cli(['rank', '--config', files.configFile, '--connection', 'sim', '--format', 'csv']);
        assert.equal(r.code, 0);
        assert.ok(r.out.endsWith('\r\n'));
        const lines = r.out.slice(0, -2).split('\r\n');
        assert.equal(lines[0], CSV_HEADER);
        assert.equal(lines.length, jsonRows.length + 1);
        jsonRows.forEach((row, i) => {
          assert.ok(lines[i + 1]?.startsWith(`${row.rank},${row.userDirectory},${row.userId},`), lines[i + 1]);
          assert.ok(lines[i + 1]?.includes(`,${row.loginPasses},`));
        });
      });

      it('--top 5 prints a header and five rows', async () => {
        const r = await cli(['rank', '--config', files.configFile, '--connection', 'sim', '--top', '5']);
        assert.equal(r.code, 0);
        const lines = r.out.trimEnd().split('\n');
        assert.equal(lines.length, 6);
        assert.match(lines[0] ?? '', /^#\s+user\s+name\s+passes\s+tokens\s+pass\s+verdict$/);
        jsonRows.slice(0, 5).forEach((row, i) => {
          const line = lines[i + 1] ?? '';
          assert.ok(line.startsWith(`${row.rank}  ${row.userDirectory}\\${row.userId} `), line);
          assert.ok(line.endsWith(row.reason), line);
        });
      });

      it('--window-days 90 counts more login passes and says so in the verdict', async () => {
        const r = await cli(['rank', '--config', files.configFile, '--connection', 'sim', '--format', 'json', '--window-days', '90']);
        assert.equal(r.code, 0);
        const wide = rows(r.out);
        const passes = (list: JsonRow[]) => new Map(list.map((x) => [`${x.userDirectory}\\${x.userId}`, x.loginPasses]));
        const in28 = passes(jsonRows);
        const in90 = passes(wide);
        const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
        assert.ok(total(in90) > total(in28), `${total(in90)} > ${total(in28)}`);
        for (const [user, n] of in28) {
          assert.ok((in90.get(user) ?? 0) >= n, user);
        }
        const heavy = wide.find((x) => x.loginPasses > 0 && x.allocation === null);
        assert.match(heavy?.reason ?? '', /login passes? in 90 days/);
      });

      it('rejects a bad --format, --top or --window-days before connecting (exit 1)', async () => {
        const port = await closedPort();
        const down = await writeConfig(files, 'down-rank.json', (cs) => [{ ...byName(cs, 'sim'), url: `https://localhost:${port}` }]);
        const cases: [string[], RegExp][] = [
          [['--format', 'xml'], /^--format must be table, json or csv, not "xml"\.$/],
          [['--top', '0'], /^--top must be a whole number/],
          [['--window-days', 'x'], /^--window-days must be a whole number from 1 to 3650, not "x"\.$/],
          [['--bogus'], /^Unknown option '--bogus'/],
        ];
        for (const [extra, message] of cases) {
          const r = await cli(['rank', '--config', down, '--connection', 'sim', ...extra]);
          assert.equal(r.code, 1, extra.join(' '));
          assert.match(r.errors[0] ?? '', message);
          assert.equal(r.out, '');
        }
      });

      it('login stores the JWT from a pipe in the keychain; rank then needs no env var', async () => {
        const keychain = fakeKeychain();
        const login = await cli(['login', '--config', files.configFile, '--connection', 'sim-jwt'], { stdin: `${files.jwtEnv.value}\n`, keychain });
        assert.deepEqual(login.errors, []);
        assert.equal(login.code, 0);
        assert.equal(login.out, 'Stored the secret for "sim-jwt" in the OS keychain.\n');
        assert.deepEqual([...keychain.entries], [['license-steward/sim-jwt', files.jwtEnv.value]]);
        const r = await cli(['rank', '--config', files.configFile, '--connection', 'sim-jwt', '--format', 'json'], { keychain });
        assert.equal(r.code, 0);
        assert.deepEqual(rows(r.out), jsonRows);

        const empty = await cli(['login', '--connection', 'sim-jwt'], { stdin: '', keychain: fakeKeychain() });
        assert.equal(empty.code, 1);
        assert.deepEqual(empty.errors, ['No secret was given; nothing was stored.']);
        const noKeytar = await cli(['login', '--connection', 'sim-jwt'], { stdin: 'abc' });
        assert.equal(noKeytar.code, 1, "no keychain is a setup problem, not a server refusal");
        assert.match(noKeytar.errors[0] ?? '', /^Cannot store the secret: no keychain in unit tests\. Install keytar .* or set LICENSE_STEWARD_SECRET_SIM_JWT instead\.$/);
      });
    });

    describe('errors and exit codes', () => {
      it('missing --config: 1 with the usage', async () => {
        const r = await cli(['rank', '--connection', 'sim']);
        assert.equal(r.code, 1);
        assert.deepEqual(r.errors, [`--config is required.\n${RANK_USAGE}`]);
        const noConnection = await cli(['rank', '--config', files.configFile]);
        assert.equal(noConnection.code, 1);
        assert.deepEqual(noConnection.errors, [`--connection is required.\n${RANK_USAGE}`]);
      });

      it('a config file that does not exist: 1, naming the path', async () => {
        const missing = path.join(path.dirname(files.configFile), 'nope.json');
        const r = await cli(['rank', '--config', missing, '--connection', 'sim']);
        assert.equal(r.code, 1);
        assert.match(r.errors[0] ?? '', /^Config file (.+) does not exist\./);
        assert.ok(r.errors[0]?.includes(missing));
      });

      it('invalid JSON, and an invalid connection: 1', async () => {
        const bad = path.join(path.dirname(files.configFile), 'bad.json');
        await writeFile(bad, '{ "connections": [ ');
        const r = await cli(['rank', '--config', bad, '--connection', 'sim']);
        assert.equal(r.code, 1);
        assert.match(r.errors[0] ?? '', new RegExp(`^Config file ${bad.replace(/[.\\/]/g, '\\$&')} is not valid JSON: `));
        const http = await writeConfig(files, 'http.json', (cs) => [{ ...byName(cs, 'sim'), url: 'http://localhost:4242' }]);
        const r2 = await cli(['rank', '--config', http, '--connection', 'sim']);
        assert.equal(r2.code, 1);
        assert.match(r2.errors[0] ?? '', /url must start with https:\/\//);
      });

      it('an unknown connection: 1, listing the names there are', async () => {
        const r = await cli(['rank', '--config', files.configFile, '--connection', 'prod']);
        assert.equal(r.code, 1);
        assert.deepEqual(r.errors, [`${files.configFile} has no connection named "prod" (it has: "sim", "sim-header", "sim-jwt").`]);
      });

      it('--user without a backslash, and --kind gold: 1, even when the server is down', async () => {
        const port = await closedPort();
        const down = await writeConfig(files, 'down.json', (cs) => [{ ...byName(cs, 'sim'), url: `https://localhost:${port}` }]);
        for (const config of [files.configFile, down]) {
          const user = await cli(['assign', '--config', config, '--connection', 'sim', '--user', 'jdoe', '--yes']);
          assert.equal(user.code, 1);
          assert.deepEqual(user.errors, [`--user must be DIRECTORY\\USERID (e.g. 'CORP\\jdoe', quoted for the shell), not "jdoe".`]);
          const kind = await cli(['revoke', '--config', config, '--connection', 'sim', '--user', 'CORP\\jdoe', '--kind', 'gold', '--yes']);
          assert.equal(kind.code, 1);
          assert.deepEqual(kind.errors, ['--kind must be one of user, professional, analyzer, not "gold".']);
        }
        const missingUser = await cli(['reinstate', '--config', files.configFile, '--connection', 'sim']);
        assert.equal(missingUser.code, 1);
        assert.match(missingUser.errors[0] ?? '', /^--user is required\.\nUsage: license-steward reinstate /);
      });

      it('an unknown user: 1, and nothing is written', async () => {
        const before = sim.state.allocations.user.size;
        for (const action of ['assign', 'revoke', 'reinstate']) {
          const r = await cli([action, '--config', files.configFile, '--connection', 'sim', '--user', 'CORP\\nobody.here', '--yes']);
          assert.equal(r.code, 1, action);
          assert.deepEqual(r.errors, ['No user CORP\\nobody.here on this site. Check the spelling; QRS matches directory and id case-insensitively.']);
        }
        assert.equal(sim.state.allocations.user.size, before);
      });

      it('a JWT connection without the env var or a keychain: 2, saying where the token goes', async () => {
        const r = await cli(['rank', '--config', files.configFile, '--connection', 'sim-jwt']);
        assert.equal(r.code, 2);
        assert.equal(r.out, '');
        assert.deepEqual(r.errors, [
          'Connection "sim-jwt" uses JWT and no token is stored; set the environment variable LICENSE_STEWARD_SECRET_SIM_JWT, or store it in the OS keychain with "license-steward login --connection sim-jwt".',
        ]);
      });

      it('a JWT the server rejects: 2, pointing at the JWT', async () => {
        const forged = `${files.jwtEnv.value.split('.').slice(0, 2).join('.')}.Zm9yZ2VkLXNpZ25hdHVyZQ`;
        secrets.push(forged);
        const r = await cli(['rank', '--config', files.configFile, '--connection', 'sim-jwt'], { env: { LICENSE_STEWARD_SECRET_SIM_JWT: forged } });
        assert.equal(r.code, 2);
        assert.match(r.errors[0] ?? '', /^The server rejected the credentials of the account CORP\\admin \(as claimed by the token\) \(401 on GET \/jwt\/qrs\/license\/accesstypeoverview\?xrfkey=\*\*\*\)\. Check the connection's JWT/);
      });

      describe('an encrypted client key', () => {
        const passphrase = 'correct horse battery staple 7';
        const wrong = 'not-the-passphrase-42';
        let config: string;
        before(async () => {
          const dir = await tempDir('enc');
          config = (await writeSimConnectionFiles(sim, dir)).configFile;
          await writeFile(path.join(dir, 'client_key.pem'), sim.encryptedClientKey(passphrase));
          secrets.push(passphrase, wrong);
        });

        it('without a passphrase: 2, saying where to put it', async () => {
          const r = await cli(['rank', '--config', config, '--connection', 'sim']);
          assert.equal(r.code, 2);
          assert.deepEqual(r.errors, [
            'Connection "sim": client_key.pem is encrypted and no passphrase is stored; set the environment variable LICENSE_STEWARD_SECRET_SIM, or store it in the OS keychain with "license-steward login --connection sim".',
          ]);
        });

        it('with LICENSE_STEWARD_SECRET_SIM: ranks', async () => {
          const r = await cli(['rank', '--config', config, '--connection', 'sim', '--format', 'json'], { env: { LICENSE_STEWARD_SECRET_SIM: passphrase } });
          assert.deepEqual(r.errors, []);
          assert.equal(r.code, 0);
          assert.deepEqual(rows(r.out), jsonRows);
        });

        it('with a wrong passphrase: 2, saying the passphrase is wrong', async () => {
          const r = await cli(['rank', '--config', config, '--connection', 'sim'], { env: { LICENSE_STEWARD_SECRET_SIM: wrong } });
          assert.equal(r.code, 2);
          // The key is made afresh each run: about one wrong passphrase in 170 decrypts to valid
          // padding, which OpenSSL reports as "unsupported" (mapTransportError's second wording).
          assert.equal(r.errors.length, 1, r.errors.join('\n'));
          assert.match(r.errors[0] ?? '', /^The client key \(client_key\.pem\) could not be decrypted: the connection's key passphrase is wrong( or missing\.|, or the file is not the key it was exported with\.)$/);
        });
      });

      it('a config without the CA file: 2, saying the CA is not trusted', async () => {
        const noCa = await writeConfig(files, 'no-ca.json', (cs) => {
          const c = byName(cs, 'sim');
          const auth = { ...c.auth };
          delete auth['caFile'];
          return [{ ...c, auth }];
        });
        const r = await cli(['rank', '--config', noCa, '--connection', 'sim']);
        assert.equal(r.code, 2);
        assert.equal(r.errors.length, 1);
        assert.match(r.errors[0] ?? '', new RegExp(`^The certificate of localhost:${sim.port} is signed by a CA this connection does not trust \\(\\w+\\)\\. Give the connection the CA certificate that signed it as its CA file \\(on Qlik Sense, the site's root\\.pem; behind a TLS-inspecting proxy, the proxy's CA\\)\\.$`));
      });

      it('a server certificate for another host name: 2, naming the names it lists', async () => {
        const other = await startQrsSimulator({ users: 5, serverNames: ['qlik.example.internal'] });
        try {
          const f = await writeSimConnectionFiles(other, await tempDir('host'));
          const r = await cli(['rank', '--config', f.configFile, '--connection', 'sim']);
          assert.equal(r.code, 2);
          assert.deepEqual(r.errors, [
            `The certificate of localhost:${other.port} is not valid for the name "localhost": connect with a host name the certificate lists: qlik.example.internal.`,
          ]);
        } finally {
          await other.close();
        }
      });

      it('nothing listening: 2', async () => {
        const port = await closedPort();
        const down = await writeConfig(files, 'closed.json', (cs) => [{ ...byName(cs, 'sim'), url: `https://localhost:${port}` }]);
        const r = await cli(['rank', '--config', down, '--connection', 'sim']);
        assert.equal(r.code, 2);
        assert.deepEqual(r.errors, [`Nothing listens at localhost:${port}: is the Repository Service running and port ${port} open?`]);
      });

      it('an account without admin rights: rank and assign exit 3, saying the account lacks rights', async () => {
        const plain = await writeConfig(files, 'plain.json', (cs) => {
          const c = byName(cs, 'sim-header');
          return [{ ...c, name: 'plain', auth: { ...c.auth, headerValue: 'CORP\\someone' } }];
        });
        const before = sim.state.allocations.user.size;
        const since = sim.requests.length;
        const rank = await cli(['rank', '--config', plain, '--connection', 'plain']);
        assert.equal(rank.code, 3);
        assert.equal(rank.out, '');
        // The header value is who the proxy believes the caller is: it never appears in output.
        assert.match(rank.errors[0] ?? '', /^The connected account lacks rights to GET \/hdr\/qrs\/license\/accesstypeoverview/);
        assert.ok(!rank.errors.join('\n').includes('CORP\\someone'));
        const heavy = jsonRows.find((r) => r.verdict === 'assign' && r.allocation === null);
        assert.ok(heavy);
        const assign = await cli(['assign', '--config', plain, '--connection', 'plain', '--user', `${heavy.userDirectory}\\${heavy.userId}`, '--yes']);
        assert.equal(assign.code, 3);
        assert.match(assign.errors[0] ?? '', /^The connected account lacks rights to /);
        assert.equal(sim.state.allocations.user.size, before);
        assert.ok(!sim.requests.slice(since).some((q) => q.method === 'POST' && q.path.endsWith('/qrs/license/useraccesstype')));
      });
    });
  });

  describe('assign, revoke and reinstate', () => {
    let sim: QrsSimulator;
    let files: SimConnectionFiles;
    let args: string[];
    const holderOf = (userId: string) => sim.state.list('user').filter((a) => a.user.userId === userId);

    before(async () => {
      sim = await startQrsSimulator({ users: 60, seed: 9, now: NOW });
      files = await writeSimConnectionFiles(sim, await tempDir('actions'));
      simClock = () => sim.clock.now();
      args = ['--config', files.configFile, '--connection', 'sim'];
      // Two heavy users without a pass: 12 login passes each in the last 28 days.
      for (const userId of ['heavy.user', 'asked.user']) {
        const user = sim.state.addUser({ userDirectory: 'CORP', userId, name: userId === 'heavy.user' ? 'Heavy User' : 'Asked User' });
        for (let i = 0; i < 12; i++) {
          sim.state.addLoginUsage(user, NOW - (i + 1) * DAY_MS);
        }
      }
    });
    after(async () => {
      await sim.close();
    });

    it('ranks the heavy user as one to assign', async () => {
      const r = await cli(['rank', ...args, '--format', 'json']);
      const heavy = rows(r.out).find((x) => x.userId === 'heavy.user');
      assert.equal(heavy?.verdict, 'assign');
      assert.equal(heavy?.allocation, null);
      assert.equal(heavy?.loginPasses, 12);
    });

    it('assign → revoke (quarantined) → reinstate → revoke (freed)', async () => {
      const assign = await cli(['assign', ...args, '--user', 'CORP\\heavy.user', '--yes']);
      assert.deepEqual(assign.errors, []);
      assert.equal(assign.code, 0);
      const held = holderOf('heavy.user');
      assert.equal(held.length, 1);
      const a = held[0];
      assert.ok(a);
      assert.equal(a.quarantined, false);
      assert.equal(assign.out, `Assigned a user access pass to Heavy User (CORP\\heavy.user) (allocation ${a.id}).\n`);

      const again = await cli(['assign', ...args, '--user', 'corp\\HEAVY.USER', '--yes']);
      assert.equal(again.code, 0);
      assert.equal(again.out, 'Heavy User (CORP\\heavy.user) already holds a user access pass; nothing to do.\n');
      assert.equal(holderOf('heavy.user').length, 1);

      // Used two days ago: revoking quarantines it until seven days after that use.
      const used = sim.clock.now() - 2 * DAY_MS;
      sim.state.allocation('user', a.id).lastUsed = used;
      const revoke = await cli(['revoke', ...args, '--user', 'CORP\\heavy.user', '--yes']);
      assert.equal(revoke.code, 0);
      assert.equal(
        revoke.out,
        `Revoked the user access pass of Heavy User (CORP\\heavy.user); it is quarantined until ${iso(used + 7 * DAY_MS)} and the token is not freed before then. "license-steward reinstate" gives it back meanwhile.\n`,
      );
      assert.equal(sim.state.allocation('user', a.id).quarantined, true);
      assert.equal(sim.state.allocation('user', a.id).quarantineEnd, used + 7 * DAY_MS);

      const assignQuarantined = await cli(['assign', ...args, '--user', 'CORP\\heavy.user', '--yes']);
      assert.equal(assignQuarantined.code, 1);
      assert.match(assignQuarantined.errors[0] ?? '', /has a quarantined user access pass \(until \d{4}-\d\d-\d\d\): reinstate it instead/);
      assert.equal(holderOf('heavy.user').length, 1);

      const reinstate = await cli(['reinstate', ...args, '--user', 'CORP\\heavy.user', '--yes']);
      assert.deepEqual(reinstate.errors, []);
      assert.equal(reinstate.code, 0);
      assert.equal(reinstate.out, `Reinstated the user access pass of Heavy User (CORP\\heavy.user) (allocation ${a.id}).\n`);
      assert.equal(sim.state.allocation('user', a.id).quarantined, false);

      const nothingQuarantined = await cli(['reinstate', ...args, '--user', 'CORP\\heavy.user', '--yes']);
      assert.equal(nothingQuarantined.code, 1);
      assert.deepEqual(nothingQuarantined.errors, ['Heavy User (CORP\\heavy.user) has no quarantined pass to reinstate.']);

      // Last used ten days ago: revoking frees the token at once.
      sim.state.allocation('user', a.id).lastUsed = sim.clock.now() - 10 * DAY_MS;
      const free = await cli(['revoke', ...args, '--user', 'CORP\\heavy.user', '--yes']);
      assert.equal(free.code, 0);
      assert.equal(free.out, 'Revoked the user access pass of Heavy User (CORP\\heavy.user); the token is freed.\n');
      assert.ok(!sim.state.allocations.user.has(a.id));
      assert.deepEqual(holderOf('heavy.user'), []);

      const none = await cli(['revoke', ...args, '--user', 'CORP\\heavy.user', '--yes']);
      assert.equal(none.code, 1);
      assert.deepEqual(none.errors, ['Heavy User (CORP\\heavy.user) holds no pass to revoke.']);
    });

    it('without --yes and no terminal: 1, asking for --yes, nothing changed', async () => {
      const before = sim.state.allocations.user.size;
      const since = sim.requests.length;
      const r = await cli(['assign', ...args, '--user', 'CORP\\asked.user']);
      assert.equal(r.code, 1);
      assert.deepEqual(r.errors, ['Assign a user access pass to Asked User (CORP\\asked.user)?\nNo terminal to ask on: re-run with --yes to confirm.']);
      assert.equal(r.out, '');
      assert.equal(sim.state.allocations.user.size, before);
      assert.deepEqual(holderOf('asked.user'), []);
      assert.ok(sim.requests.slice(since).every((q) => q.method === 'GET'), 'only reads');
    });

    it('a terminal answering "n": 1, "Cancelled: nothing was changed."', async () => {
      const before = sim.state.allocations.user.size;
      const r = await cli(['assign', ...args, '--user', 'CORP\\asked.user'], { ttyAnswer: 'n' });
      assert.equal(r.code, 1);
      assert.equal(r.terminal, 'Assign a user access pass to Asked User (CORP\\asked.user)? [y/N] ');
      assert.deepEqual(r.errors, ['Cancelled: nothing was changed.']);
      assert.equal(sim.state.allocations.user.size, before);
      assert.deepEqual(holderOf('asked.user'), []);
    });

    it('a terminal answering "y": the pass is assigned; revoking asks with the preview', async () => {
      const r = await cli(['assign', ...args, '--user', 'CORP\\asked.user'], { ttyAnswer: 'y' });
      assert.deepEqual(r.errors, []);
      assert.equal(r.code, 0);
      const held = holderOf('asked.user');
      assert.equal(held.length, 1);
      assert.equal(r.out, `Assigned a user access pass to Asked User (CORP\\asked.user) (allocation ${held[0]?.id}).\n`);

      const revoke = await cli(['revoke', ...args, '--user', 'CORP\\asked.user'], { ttyAnswer: 'yes' });
      assert.equal(revoke.code, 0);
      assert.equal(
        revoke.terminal,
        'Revoke the user access pass of Asked User (CORP\\asked.user)? The user access pass was never used, so it is freed at once. [y/N] ',
      );
      assert.match(revoke.out, /the token is freed\.\n$/);
      assert.deepEqual(holderOf('asked.user'), []);
    });
  });

  describe('sim qrs', () => {
    it('writes a ready config, serves until stopped, then closes', async () => {
      const dir = await tempDir('sim');
      const configFile = path.join(dir, 'license-steward.json');
      const signals = new AbortController();
      const stop = (): void => signals.abort('SIGINT');
      let printed = '';
      const running = cli(['sim', 'qrs', '--dir', dir, '--users', '40', '--seed', '2'], { signal: signals.signal, onOut: (t) => (printed += t) });
      const deadline = Date.now() + 15_000;
      while (!(existsSync(configFile) && printed.includes('Press Ctrl+C'))) {
        assert.ok(Date.now() < deadline, 'the simulator wrote its config within 15 s');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const url = /^QRS simulator listening on (https:\/\/localhost:\d+) \(40 users\)\.$/m.exec(printed)?.[1];
      assert.ok(url, printed);
      assert.ok(printed.includes(`\nConfig: ${configFile}\n`), printed);
      const config = JSON.parse(await readFile(configFile, 'utf8')) as { connections: { name: string; url: string; auth: { mode: string } }[] };
      assert.deepEqual(
        config.connections.map((c) => [c.name, c.auth.mode, c.url]),
        [
          ['sim', 'certificate', url],
          ['sim-header', 'header', `${url}/hdr`],
          ['sim-jwt', 'jwt', `${url}/jwt`],
        ],
      );
      for (const pem of ['root.pem', 'client.pem', 'client_key.pem']) {
        assert.ok(existsSync(path.join(dir, pem)), pem);
      }
      // The printed export line is what a user copies; it works.
      const jwt = /export LICENSE_STEWARD_SECRET_SIM_JWT=(\S+)\)/.exec(printed)?.[1];
      assert.ok(jwt, printed);
      const live = await cli(['rank', '--config', configFile, '--connection', 'sim-jwt', '--format', 'json'], { env: { LICENSE_STEWARD_SECRET_SIM_JWT: jwt }, now: () => Date.now() });
      assert.equal(live.code, 0, live.errors.join('\n'));
      assert.ok(rows(live.out).length > 0);

      stop();
      const r = await running;
      assert.equal(r.code, 0);
      const port = new URL(url).port;
      const after = await cli(['rank', '--config', configFile, '--connection', 'sim'], { now: () => Date.now() });
      assert.equal(after.code, 2);
      assert.deepEqual(after.errors, [`Nothing listens at localhost:${port}: is the Repository Service running and port ${port} open?`]);
    });

    it('an unknown system to simulate: 1, naming the three there are', async () => {
      const r = await cli(['sim', 'foo']);
      assert.equal(r.code, 1);
      assert.match(r.errors[0] ?? '', /^Name the system to simulate: qrs, cloud or licstats\.\nUsage: license-steward sim qrs .*\n +license-steward sim cloud .*\n +license-steward sim licstats /);
    });
  });

  describe('demo', () => {
    it('--users 100 --top 5 ranks the embedded site and sums it up', async () => {
      const r = await cli(['demo', '--users', '100', '--top', '5'], { now: () => NOW });
      assert.deepEqual(r.errors, []);
      assert.equal(r.code, 0);
      const lines = r.out.split('\n');
      assert.match(lines[0] ?? '', /^Demo site: Qlik Sense repository \S+ at https:\/\/localhost:\d+, connected as INTERNAL\\sa_api with a client certificate\.$/);
      assert.match(lines[1] ?? '', /^Tokens: \d+ tokens, \d+ available; /);
      assert.match(lines[2] ?? '', /^Synced \d+ login-pass records of the last 28 days and \d+ allocations in \d+ ms\.$/);
      assert.equal(lines[3], '');
      assert.match(lines[4] ?? '', /^#\s+user\s+name\s+passes\s+tokens\s+pass\s+verdict$/);
      for (let i = 1; i <= 5; i++) {
        assert.match(lines[4 + i] ?? '', new RegExp(`^${i}  \\S+\\\\\\S+ `));
      }
      assert.match(lines[10] ?? '', /^… \d+ more users \(license-steward rank --format csv lists all\)\.$/);
      assert.match(r.out, /\n\d+ users burn a user access pass's worth of login passes: assigning them passes saves [\d.]+ tokens? per 28 days\.\n/);
      assert.match(r.out, /\n(?:1 pass is|\d+ passes are) unused for 30\+ days: revoking (?:it|them) frees [\d.]+ tokens?\. (?:1 pass is|\d+ passes are) quarantined\.\n/);
      // The closing hint names commands that run from a clone, and the extension's way in.
      assert.ok(
        r.out.endsWith(
          '\nNext: "npx license-steward sim qrs" (in the project folder, after "npm run build"; or "node dist/cli.js sim qrs") runs this site for you to point rank, assign, revoke and reinstate at.\n' +
            'In VS Code, the License Steward extension shows the same site as a tree you can act on: run "License Steward: Open Demo Site" from the Command Palette.\n',
        ),
        r.out.slice(-400),
      );
    });
  });

  describe('help', () => {
    it('"help" lists every command, their usage and the exit codes', async () => {
      const r = await cli(['help']);
      assert.equal(r.code, 0);
      for (const name of ['demo', 'rank', 'assign', 'revoke', 'reinstate', 'login', 'sim']) {
        assert.match(r.out, new RegExp(`^  ${name} +\\S`, 'm'), name);
        assert.match(r.out, new RegExp(`^  license-steward ${name}\\b`, 'm'), name);
      }
      assert.ok(r.out.includes('Exit codes: 0 ok, 1 usage or config error, 2 connection/auth error, 3 server refused, 4 outcome unknown, 130/143 interrupted.'));
      assert.equal((await cli(['--help'])).out, r.out);
    });

    it('no command prints help and exits 1; an unknown one exits 1 naming it', async () => {
      const none = await cli([]);
      assert.equal(none.code, 1);
      assert.match(none.out, /^License Steward: /);
      const r = await cli(['frobnicate']);
      assert.equal(r.code, 1);
      assert.equal(r.out, '');
      assert.match(r.errors[0] ?? '', /^unknown command "frobnicate"\.\n\nLicense Steward: /);
    });

    it('help lists exactly the commands there are, in their order, with their own texts', () => {
      assert.deepEqual(
        COMMAND_HELP.map((h) => [h.name, h.summary, h.usage]),
        COMMANDS.map((c) => [c.name, c.summary, c.usage]),
      );
    });

    it('"rank --help" prints the summary and usage of rank only', async () => {
      const r = await cli(['rank', '--help']);
      assert.equal(r.code, 0);
      assert.equal(r.out, `rank users by token use and show each verdict\n${RANK_USAGE}\n`);
    });
  });

  describe('secrets', () => {
    it('no JWT or passphrase appears in any output or log line of any run above', () => {
      assert.ok(secrets.length >= 4, 'the runs above used secrets');
      assert.ok(transcript.length > 50, 'the runs above were recorded');
      const all = transcript.join('\n');
      for (const secret of secrets) {
        assert.ok(!all.includes(secret), `a secret of ${secret.length} characters leaked into the output`);
      }
    });
  });
});

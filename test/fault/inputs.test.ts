import { strict as assert } from 'node:assert';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { version } from '../../package.json';
import type { RankRow } from '../../src/cli/rankOutput';
import { DAY_MS } from '../../src/core/model';
import type { SimUser } from '../../src/sim/qrs/qrsSimState';
import { useBuiltCli } from './useBuiltCli';
import { runCliProcess, type CliResult } from './cliProcess';
import { startFaultSite, type FaultSite, type SiteConfigJson } from './faultSite';

/**
 * What the CLI takes in from servers, config files and the network: hostile names, a BOM, header
 * auth mistakes, a refused client certificate, and what it says about itself (User-Agent). The
 * built CLI against a simulated site behind the fault proxy; each test names what the CLI before
 * this issue (9813bb7) did.
 */

const ESC = '\u001b';
const BEL = '\u0007';
/** CSI as one C1 control: what a terminal reading 8-bit controls takes for ESC [. */
const CSI = '\u009b';
/** What a terminal-safe rendering shows instead of a control character. */
const REPLACEMENT = '\uFFFD';

function expectExit(r: CliResult, code: number): void {
  assert.equal(r.code, code, `exit ${r.code} (signal ${r.signal}), expected ${code}\n--- stderr ---\n${r.err}\n--- stdout ---\n${r.out.slice(0, 2_000)}`);
}

describe('fault suite: inputs', function () {
  this.timeout(60_000);
  useBuiltCli();

  let site: FaultSite;

  before(async () => {
    site = await startFaultSite({ users: 300, seed: 13 });
  });
  after(async () => {
    await site?.close();
  });
  afterEach(() => {
    site.proxy.clearRules();
    site.proxy.closeAfterHandshake = false;
  });

  /** A config file next to the site's own (its PEM paths stay valid), edited by `edit`, written with `prefix` first. */
  async function variantConfig(name: string, edit: (config: SiteConfigJson) => void, prefix = ''): Promise<string> {
    const config = JSON.parse(await readFile(site.configFile, 'utf8')) as SiteConfigJson;
    edit(config);
    const file = path.join(path.dirname(site.configFile), name);
    await writeFile(file, prefix + JSON.stringify(config, null, 2) + '\n');
    return file;
  }

  function headerConnection(config: SiteConfigJson): { auth: Record<string, unknown> } {
    const c = config.connections.find((x) => x['name'] === 'sim-header') as { auth: Record<string, unknown> } | undefined;
    assert.ok(c, 'the site config has sim-header');
    return c;
  }

  describe('names the server supplies', () => {
    const evilName = `Mallory ${ESC}[31mRed${BEL} Alert${CSI}2J`;
    const longName = `Long-${'abcdefghij'.repeat(199)}--end`;
    const cut = `${longName.slice(0, 1023)}…`;

    before(() => {
      assert.equal(longName.length, 2_000);
      const now = site.sim.clock.now();
      const arrange = (userId: string, name: string): SimUser => {
        const u = site.sim.state.addUser({ userDirectory: 'CORP', userId, name });
        // A dozen login passes in the last fortnight: each ranks, near the top.
        for (let day = 1; day <= 12; day++) {
          site.sim.state.addLoginUsage(u, now - day * DAY_MS - 3 * 3_600_000);
        }
        return u;
      };
      arrange('mallory', evilName);
      arrange('long.name', longName);
    });

    // Before: names were printed as the server sent them: ESC [31m turned the admin's terminal red,
    // BEL rang it, and a crafted name could rewrite what the table appeared to say.
    it('table and CSV output carry no ESC, BEL or C1 CSI from a user name; JSON escapes them and keeps the name', async () => {
      const csiBytes = Buffer.from(CSI, 'utf8');
      for (const format of ['table', 'csv', 'json']) {
        const r = await runCliProcess(site.cliArgs('rank', 'sim', '--format', format), { env: site.env });
        expectExit(r, 0);
        assert.ok(r.out.includes('mallory'), `${format}: the user ranks`);
        assert.equal(r.stdout.includes(0x1b), false, `${format}: no ESC byte on stdout`);
        assert.equal(r.stdout.includes(0x07), false, `${format}: no BEL byte on stdout`);
        assert.equal(r.stdout.includes(csiBytes), false, `${format}: no CSI on stdout`);
        assert.equal(r.stderr.includes(0x1b) || r.stderr.includes(0x07) || r.stderr.includes(csiBytes), false, `${format}: none on stderr`);
        if (format === 'json') {
          assert.equal(r.json<RankRow[]>().find((x) => x.userId === 'mallory')?.name, evilName, 'JSON parses to the name as sent');
        } else {
          assert.ok(r.out.includes(`Mallory ${REPLACEMENT}[31mRed${REPLACEMENT} Alert${REPLACEMENT}2J`), `${format}: the name shows, its controls visible as U+FFFD`);
        }
      }
      assert.deepEqual(site.sim.violations, []);
    });

    // Before: an error quoting the server's text wrote its ESC and BEL straight to the terminal.
    it("an error message quoting the server's text carries no ESC or BEL to stderr", async () => {
      site.proxy.rule({ method: 'GET', path: /\/qrs\/license\/accesstypeoverview$/, answer: { status: 400, body: `Bad ${ESC}[2Jrequest${BEL} from ${evilName}` } });
      const r = await runCliProcess(site.cliArgs('rank', 'sim'), { env: site.env });
      expectExit(r, 3);
      assert.match(r.err, /answered GET \/qrs\/license\/accesstypeoverview\S* with 400/);
      assert.ok(r.err.includes(`Bad ${REPLACEMENT}[2Jrequest${REPLACEMENT} from Mallory`), `the server's words, controls visible: ${r.err}`);
      assert.equal(r.stderr.includes(0x1b) || r.stderr.includes(0x07) || r.stderr.includes(Buffer.from(CSI, 'utf8')), false, 'no control bytes on stderr');
    });

    // Before: a 2,000-character name was printed whole, making the table's name column 2,000 wide.
    it('a 2,000-character name is cut to 1,024 characters ending in "…" in the table and in JSON', async () => {
      const table = await runCliProcess(site.cliArgs('rank', 'sim'), { env: site.env });
      expectExit(table, 0);
      assert.ok(table.out.includes(cut), 'the table shows the cut name');
      assert.equal(table.out.includes(longName.slice(0, 1024)), false, 'and nothing past the cut');
      const header = table.out.split('\n')[0] ?? '';
      assert.ok(header.length < 1_024 + 200, `the name column is at most 1,024 wide (header ${header.length} long)`);

      const json = await runCliProcess(site.cliArgs('rank', 'sim', '--format', 'json'), { env: site.env });
      expectExit(json, 0);
      const row = json.json<RankRow[]>().find((x) => x.userId === 'long.name');
      assert.ok(row, 'the user ranks');
      assert.equal(row.name, cut);
      assert.equal([...row.name].length, 1_024);
    });
  });

  // Before: JSON.parse met the byte-order mark Notepad writes and the config was "not valid JSON" (exit 1).
  it('a config file written with a UTF-8 BOM loads: rank exits 0', async () => {
    const file = await variantConfig('bom.json', () => undefined, '\uFEFF');
    assert.equal((await readFile(file))[0], 0xef, 'the file starts with the BOM bytes');
    const r = await runCliProcess(['rank', '--config', file, '--connection', 'sim'], { env: site.env });
    expectExit(r, 0);
    assert.match(r.out, /^\s*#\s+user\s+name/);
  });

  // Before: the value was sent in Authorization (or Cookie), the proxy found no user header and
  // answered 401: exit 2 with advice about credentials, not about the header name.
  for (const reserved of ['Authorization', 'Cookie']) {
    it(`header auth with headerName "${reserved}": exit 1 saying that header cannot carry the user`, async () => {
      const file = await variantConfig(`header-${reserved.toLowerCase()}.json`, (c) => {
        headerConnection(c).auth['headerName'] = reserved;
      });
      const since = site.proxy.seen.length;
      const r = await runCliProcess(['rank', '--config', file, '--connection', 'sim-header'], { env: site.env });
      expectExit(r, 1);
      assert.match(r.err, new RegExp(`headerName "${reserved}" cannot be used: it carries other credentials`));
      assert.equal(site.proxy.seen.length, since, 'nothing was sent');
    });
  }

  // Before: the header value was the "account" of every message: "the account CORP\… lacks rights".
  // Whoever sends that value is that user, so it is a credential and must not be printed.
  it('a valid header connection whose account lacks rights (403): exit 3, and the header value appears nowhere', async () => {
    const secretId = 'steward-secret-9f2c41';
    const value = `CORP\\${secretId}`;
    const file = await variantConfig('header-no-rights.json', (c) => {
      headerConnection(c).auth['headerValue'] = value;
    });
    const since = site.proxy.seen.length;
    const r = await runCliProcess(['rank', '--config', file, '--connection', 'sim-header', '--verbose'], { env: site.env });
    expectExit(r, 3);
    assert.ok(
      site.proxy.seen.slice(since).some((s) => s.status === 403 && s.headers[site.sim.headerProxy.headerName.toLowerCase()] === value),
      'the server was asked with the value and answered 403',
    );
    assert.match(r.err, /lacks rights/);
    for (const [stream, text] of [['stdout', r.out], ['stderr', r.err]] as const) {
      assert.equal(text.includes(secretId), false, `${stream} shows the header value:\n${text}`);
    }
  });

  // Before: "The server rejected the credentials of the account CORP\… (401 …)": the value again.
  it('a header connection the virtual proxy does not accept (401): exit 2, and the header value appears nowhere', async () => {
    const secretId = 'steward-secret-51d07e';
    const file = await variantConfig('header-rejected.json', (c) => {
      const { auth } = headerConnection(c);
      // Not the header the virtual proxy reads the user from: it answers 401.
      auth['headerName'] = 'X-Some-Other-Header';
      auth['headerValue'] = `CORP\\${secretId}`;
    });
    const r = await runCliProcess(['rank', '--config', file, '--connection', 'sim-header', '--verbose'], { env: site.env });
    expectExit(r, 2);
    assert.match(r.err, /401/);
    for (const [stream, text] of [['stdout', r.out], ['stderr', r.err]] as const) {
      assert.equal(text.includes(secretId), false, `${stream} shows the header value:\n${text}`);
    }
  });

  // Before: the closed connection was reported as a bare socket error during the request,
  // with nothing pointing at the client certificate.
  it('a server that closes right after the handshake: rank exits 2 saying it probably refused the client certificate', async () => {
    site.proxy.closeAfterHandshake = true;
    const r = await runCliProcess(site.cliArgs('rank', 'sim'), { env: site.env });
    expectExit(r, 2);
    assert.ok(site.proxy.connections.refused > 0);
    assert.match(r.err, /probably refused this connection's client certificate/);
  });

  // Before: requests said "license-steward (QRS client)", without a version a site's logs could use.
  it(`every request carries User-Agent: license-steward/${version}`, async () => {
    const since = site.proxy.seen.length;
    for (const connection of ['sim', 'sim-header', 'sim-jwt'] as const) {
      const r = await runCliProcess(site.cliArgs('rank', connection), { env: site.env });
      expectExit(r, 0);
    }
    const seen = site.proxy.seen.slice(since);
    assert.ok(seen.length >= 12 && seen.some((s) => s.method === 'POST'), `reads of every kind (${seen.length})`);
    const wrong = seen.filter((s) => s.headers['user-agent'] !== `license-steward/${version}`);
    assert.deepEqual(
      wrong.map((s) => `${s.method} ${s.path}: ${s.headers['user-agent']}`),
      [],
      'requests without the versioned User-Agent',
    );
  });
});

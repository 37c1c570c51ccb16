import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../../src/cli/loadConfig';
import { ConfigError } from '../../../src/core/errors';

const config = {
  connections: [{ name: 'prod', kind: 'qrs', url: 'https://qs.example.com:4242', auth: { mode: 'certificate', certFile: 'client.pem', keyFile: 'client_key.pem', userDirectory: 'INTERNAL', userId: 'sa_api' } }],
};

describe('loadConfig', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ls-load-config-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a UTF-8 file that starts with a byte-order mark (Notepad, PowerShell)', async () => {
    const file = path.join(dir, 'bom.json');
    await writeFile(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(config, null, 2), 'utf8')]));
    const loaded = await loadConfig(file);
    assert.equal(loaded.file, file);
    assert.deepEqual(loaded.config.connections.map((c) => c.name), ['prod']);

    // Only the one leading mark is dropped: one anywhere else is still a mistake in the file.
    const inside = path.join(dir, 'inside.json');
    await writeFile(inside, `{ "connections": \uFEFF[] }`);
    await assert.rejects(loadConfig(inside), (e: unknown) => e instanceof ConfigError && e.message.startsWith(`Config file ${inside} is not valid JSON: `));
    const twice = path.join(dir, 'twice.json');
    await writeFile(twice, `\uFEFF\uFEFF${JSON.stringify(config)}`);
    await assert.rejects(loadConfig(twice), (e: unknown) => e instanceof ConfigError && /is not valid JSON/.test(e.message));
  });
});

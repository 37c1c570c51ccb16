import { strict as assert } from 'node:assert';
import { silentLogger } from '../../../src/core/logger';
import { CliCredentialStore, secretEnvVar } from '../../../src/secrets/cliCredentialStore';

function fakeKeychain() {
  const store = new Map<string, string>();
  return {
    store,
    load: async () => ({
      keychain: {
        getPassword: async (s: string, a: string) => store.get(`${s}/${a}`) ?? null,
        setPassword: async (s: string, a: string, p: string) => void store.set(`${s}/${a}`, p),
        deletePassword: async (s: string, a: string) => store.delete(`${s}/${a}`),
      },
    }),
  };
}

describe('CliCredentialStore', () => {
  it('names the environment variable after the connection', () => {
    assert.equal(secretEnvVar('prod'), 'LICENSE_STEWARD_SECRET_PROD');
    assert.equal(secretEnvVar('sim-jwt'), 'LICENSE_STEWARD_SECRET_SIM_JWT');
    assert.equal(secretEnvVar('eu west.2'), 'LICENSE_STEWARD_SECRET_EU_WEST_2');
  });

  it('prefers the environment, then the keychain', async () => {
    const kc = fakeKeychain();
    const s = new CliCredentialStore({ LICENSE_STEWARD_SECRET_PROD: 'from-env' }, silentLogger, kc.load);
    await s.set('prod', 'from-keychain');
    await s.set('test', 'kc-only');
    assert.equal(await s.get('prod'), 'from-env');
    assert.equal(await s.get('test'), 'kc-only');
    await s.delete('test');
    assert.equal(await s.get('test'), undefined);
  });

  it('without keytar, reads env vars and says how to store a secret', async () => {
    const s = new CliCredentialStore({}, silentLogger, async () => ({ why: 'keytar is not installed' }));
    assert.equal(await s.get('prod'), undefined);
    await assert.rejects(s.set('prod', 'x'), /keytar is not installed.*LICENSE_STEWARD_SECRET_PROD/);
    assert.match(s.howToProvide('prod'), /LICENSE_STEWARD_SECRET_PROD.*license-steward login --connection prod/);
  });

  it('a broken keychain does not hide the env route', async () => {
    const s = new CliCredentialStore({}, silentLogger, async () => ({
      keychain: {
        getPassword: async () => { throw new Error('Cannot autolaunch D-Bus'); },
        setPassword: async () => undefined,
        deletePassword: async () => false,
      },
    }));
    assert.equal(await s.get('prod'), undefined);
  });
});

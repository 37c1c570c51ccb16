import { strict as assert } from 'node:assert';
import { connectionDirName, defaultDataDir, historyStoreDir } from '../../../src/store/storeDirs';

describe('store directories', () => {
  it('makes any connection id a safe, distinct directory name', () => {
    const names = ['Prod', 'prod', '../../etc', 'a/b\\c:d*e?', 'CON', '', 'Qlik Sense – Zürich'].filter(Boolean).map(connectionDirName);
    for (const n of names) {
      assert.match(n, /^[a-z0-9_-]+$/);
      assert.ok(n.length <= 51);
      assert.doesNotMatch(n, /^(con|prn|aux|nul|com\d|lpt\d)$/i);
    }
    assert.equal(new Set(names).size, names.length, 'ids differing only in case get their own stores');
    assert.equal(connectionDirName('prod'), connectionDirName('prod'));
    assert.throws(() => connectionDirName(''), RangeError);
    assert.ok(historyStoreDir('/data', '../x').startsWith('/data/history/'));
  });

  it('puts the CLI data directory where each OS keeps per-user data', () => {
    assert.equal(defaultDataDir({ platform: 'win32', env: { LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, home: 'C:\\Users\\a' }), 'C:\\Users\\a\\AppData\\Local\\License Steward');
    assert.equal(defaultDataDir({ platform: 'darwin', env: {}, home: '/Users/a' }), '/Users/a/Library/Application Support/License Steward');
    assert.equal(defaultDataDir({ platform: 'linux', env: { XDG_DATA_HOME: '/x' }, home: '/home/a' }), '/x/license-steward');
    assert.equal(defaultDataDir({ platform: 'linux', env: {}, home: '/home/a' }), '/home/a/.local/share/license-steward');
  });
});

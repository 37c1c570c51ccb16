import { strict as assert } from 'node:assert';
import type { RankedUser } from '../../../src/core/ranking';
import { rankingChunks, rankJson, renderRanking, toRankRow } from '../../../src/cli/rankOutput';
import { csvCell } from '../../../src/core/csv';

const row: RankedUser = {
  rank: 1,
  user: { id: 'g1', directory: 'CORP', userId: 'jdoe', name: '=HYPERLINK("x")' },
  loginPasses: 14,
  tokens: 1.4,
  capacityMinutes: 0,
  allocations: [],
  allocation: null,
  lastUse: 0,
  verdict: { kind: 'assign', text: '14 login passes in 28 days = 1.4 tokens; a user access pass costs 1 token → assign (saves 0.4 tokens per 28 days)' },
};

describe('rank output', () => {
  it('prints the documented JSON row', () => {
    assert.deepEqual(JSON.parse(renderRanking([row], 'json')), [
      {
        rank: 1, userDirectory: 'CORP', userId: 'jdoe', name: '=HYPERLINK("x")', loginPasses: 14, tokens: 1.4, capacityMinutes: 0,
        allocation: null, verdict: 'assign', reason: row.verdict.text,
      },
    ]);
    const held = toRankRow({ ...row, allocation: { id: 'a', kind: 'user', user: row.user, lastUsed: Date.UTC(2026, 0, 2), quarantined: true, quarantineEnd: null, userDeleted: false, excess: false } });
    assert.deepEqual(held.allocation, { kind: 'user', id: 'a', quarantined: true, lastUsed: '2026-01-02T00:00:00.000Z' });
  });

  it('writes the JSON exactly as JSON.stringify indents the documented rows', () => {
    const held = { id: 'a"1', kind: 'user' as const, user: row.user, lastUsed: Date.UTC(2026, 0, 2), quarantined: true, quarantineEnd: null, userDeleted: false, excess: false };
    const rows: RankedUser[] = [
      row,
      { ...row, rank: 2, user: { id: 'g2', directory: '', userId: 'x\\y', name: 'tab\tquote"\u2028\ud800\u009b' }, tokens: -0, loginPasses: 0.30000000000000004, allocation: held, allocations: [held] },
      { ...row, rank: 3, allocation: { ...held, lastUsed: null, quarantined: false }, capacityMinutes: Number.NaN },
      { ...row, rank: 4, hoursUsed: 12.5, peakLicenses: null, denials: 3 },
      { ...row, rank: 5, hoursUsed: 0, peakLicenses: 2 },
    ];
    for (const list of [rows, [], [row]]) {
      assert.equal(rankJson(list), JSON.stringify(list.map(toRankRow), null, 2));
    }
  });

  it('writes a large ranking in pieces that join to the same JSON, a row never split', () => {
    const many = (n: number): RankedUser[] => Array.from({ length: n }, (_v, i) => ({ ...row, rank: i + 1, user: { ...row.user, userId: `u${i}` } }));
    for (const n of [1999, 2000, 2001, 4001]) {
      const list = many(n);
      const chunks = [...rankingChunks(list, 'json')];
      assert.equal(chunks.join(''), `${JSON.stringify(list.map(toRankRow), null, 2)}\n`, `${n} rows`);
      assert.equal(chunks.join(''), renderRanking(list, 'json'));
      // Every piece ends where a row ends, so each is whole rows a reader can already use.
      assert.equal(chunks.length, Math.ceil(n / 2000) + 1, `${n} rows`);
      for (const c of chunks.slice(0, -2)) {
        assert.match(c, /\n {2}\}$/);
      }
    }
  });

  it('quotes CSV per RFC 4180 and defuses spreadsheet formulas', () => {
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('=1+1'), "'=1+1");
    assert.equal(csvCell(-3), '-3');
    const csv = renderRanking([row], 'csv').split('\r\n');
    assert.equal(csv[0], 'rank,userDirectory,userId,name,loginPasses,tokens,capacityMinutes,allocationKind,allocationId,quarantined,lastUsed,verdict,reason');
    assert.ok(csv[1]?.startsWith(`1,CORP,jdoe,"'=HYPERLINK(""x"")",14,1.4,0,,,,,assign,`));
  });

  describe('names with control characters (from a hostile or broken user directory)', () => {
    // Sets the window title, rings the bell, clears the screen; U+009B is CSI as one 8-bit character.
    const evil: RankedUser = { ...row, user: { id: 'g2', directory: 'CORP\u0007', userId: 'eve\u009b2J', name: 'Eve\u001b]0;owned\u0007\u001b[2J\u007f' } };
    /** Any control character except the line ends the format itself writes. */
    // oxlint-disable-next-line no-control-regex -- finding control characters is the test
    const stray = (text: string, lineEnds: RegExp) => [...text.replace(lineEnds, '')].filter((c) => /[\u0000-\u001f\u007f-\u009f]/.test(c));

    it('the table shows them as U+FFFD, and stays aligned', () => {
      const t = renderRanking([evil, { ...row, rank: 2 }], 'table');
      assert.deepEqual(stray(t, /\n/g), []);
      const lines = t.split('\n');
      assert.ok(lines[1]?.startsWith('1  CORP\uFFFD\\eve\uFFFD2J  Eve\uFFFD]0;owned\uFFFD\uFFFD[2J\uFFFD  '), lines[1]);
      assert.equal(lines[1]?.indexOf('14'), lines[2]?.indexOf('14'));
    });

    it('the CSV shows them as U+FFFD', () => {
      const csv = renderRanking([evil], 'csv');
      assert.deepEqual(stray(csv, /\r\n/g), []);
      assert.ok(csv.split('\r\n')[1]?.startsWith('1,CORP\uFFFD,eve\uFFFD2J,Eve\uFFFD]0;owned\uFFFD\uFFFD[2J\uFFFD,14,'));
    });

    it('the JSON escapes them all, DEL and C1 too, and still parses to the exact names', () => {
      const json = renderRanking([evil], 'json');
      assert.deepEqual(stray(json, /\n/g), []);
      assert.ok(json.includes('"userId": "eve\\u009b2J"'), json);
      const [parsed] = JSON.parse(json) as { userDirectory: string; userId: string; name: string }[];
      assert.deepEqual([parsed?.userDirectory, parsed?.userId, parsed?.name], [evil.user.directory, evil.user.userId, evil.user.name]);
    });
  });

  it('aligns the table and keeps the verdict whole', () => {
    const t = renderRanking([row, { ...row, rank: 2, user: { ...row.user, userId: 'x', name: 'X' }, loginPasses: 3, tokens: 0.3 }], 'table').split('\n');
    assert.match(t[0] ?? '', /^#\s+user\s+name\s+passes\s+tokens\s+pass\s+verdict$/);
    assert.ok(t[1]?.endsWith(row.verdict.text));
    assert.equal(renderRanking([row, row], 'table', 1).trim().split('\n').length, 2);
  });
});

import { strict as assert } from 'node:assert';
import {
  compileQrsFilter,
  objectFieldResolver,
  parseQrsDate,
  parseQrsFilter,
  QrsQueryError,
} from '../../../src/sim/qrs/qrsFilter';
import { parseQrsOrderBy } from '../../../src/sim/qrs/qrsOrderBy';

const GUID_A = '7dd69dbf-416c-47a8-bf15-b1a7d3b30f59';
const GUID_B = '00da201c-a95c-4ce1-b3f3-cbfba1bc3b9d';

const rows = [
  {
    id: GUID_A,
    name: "O'Brien",
    count: 12,
    quarantined: false,
    lastUsed: '2024-01-10T08:00:00.000Z',
    user: { id: GUID_B, userId: 'jdoe', userDirectory: 'CORP' },
  },
  {
    id: GUID_B,
    name: 'Anna Berg',
    count: 3,
    quarantined: true,
    lastUsed: '2023-12-31T23:59:59.999Z',
    user: { id: GUID_A, userId: 'aberg', userDirectory: 'Partners' },
  },
  { id: '11111111-2222-4333-8444-555555555555', name: 'No User', count: 0, quarantined: false, lastUsed: '1753-01-01T00:00:00.000Z' },
];

const resolve = objectFieldResolver({
  id: 'guid',
  name: 'string',
  count: 'number',
  quarantined: 'boolean',
  lastUsed: 'date',
  'user.id': 'guid',
  'user.userId': 'string',
  'user.userDirectory': 'string',
});

function names(filter: string): string[] {
  const p = compileQrsFilter(filter, resolve);
  return rows.filter((r) => p(r)).map((r) => r.name);
}

function failure(filter: string): QrsQueryError {
  try {
    compileQrsFilter(filter, resolve);
  } catch (e) {
    assert.ok(e instanceof QrsQueryError, `not a QrsQueryError: ${String(e)}`);
    return e;
  }
  return assert.fail(`"${filter}" compiled`);
}

describe('qrsFilter', () => {
  describe('strings', () => {
    it('compares without case', () => {
      assert.deepEqual(names("name eq 'anna berg'"), ['Anna Berg']);
      assert.deepEqual(names("NAME EQ 'ANNA BERG'"), ['Anna Berg']);
      assert.deepEqual(names("name ne 'anna berg'"), ["O'Brien", 'No User']);
    });

    it('unescapes doubled quotes', () => {
      assert.deepEqual(names("name eq 'o''brien'"), ["O'Brien"]);
      assert.deepEqual(names("name so ''''"), ["O'Brien"]);
    });

    it('supports sw, ew and so', () => {
      assert.deepEqual(names("name sw 'an'"), ['Anna Berg']);
      assert.deepEqual(names("name ew 'BERG'"), ['Anna Berg']);
      assert.deepEqual(names("name so 'user'"), ['No User']);
    });

    it('orders strings for gt/lt without case', () => {
      assert.deepEqual(names("name gt 'b'"), ["O'Brien", 'No User']);
      assert.deepEqual(names("name le 'anna berg'"), ['Anna Berg']);
    });

    it('keeps spaces inside quoted values', () => {
      assert.deepEqual(names("name eq 'No User'"), ['No User']);
    });
  });

  describe('nested properties', () => {
    it('reads user.userId and user.userDirectory', () => {
      assert.deepEqual(names("user.userId eq 'jdoe' and user.userDirectory eq 'corp'"), ["O'Brien"]);
    });

    it('treats a missing parent as null', () => {
      assert.deepEqual(names('user.userId eq null'), ['No User']);
      assert.deepEqual(names('user.userId ne null'), ["O'Brien", 'Anna Berg']);
      assert.deepEqual(names("user.userId ne 'jdoe'"), ['Anna Berg', 'No User']);
    });

    it('matches property names without case', () => {
      assert.deepEqual(names("User.UserID eq 'JDOE'"), ["O'Brien"]);
    });
  });

  describe('GUIDs', () => {
    it('accepts unquoted GUIDs (Qlik-Cli builds `id eq <guid>`)', () => {
      assert.deepEqual(names(`id eq ${GUID_A}`), ["O'Brien"]);
      assert.deepEqual(names(`user.id eq ${GUID_A.toUpperCase()}`), ['Anna Berg']);
    });

    it('accepts quoted GUIDs as a string compare', () => {
      assert.deepEqual(names(`id eq '${GUID_B}'`), ['Anna Berg']);
      assert.deepEqual(names(`id sw '00da'`), ['Anna Berg']);
    });

    it('tokenizes GUIDs that start with digits', () => {
      assert.deepEqual(names(`id eq 11111111-2222-4333-8444-555555555555`), ['No User']);
    });
  });

  describe('numbers, booleans, dates', () => {
    it('compares numbers', () => {
      assert.deepEqual(names('count gt 3'), ["O'Brien"]);
      assert.deepEqual(names('count ge 3'), ["O'Brien", 'Anna Berg']);
      assert.deepEqual(names('count lt 3'), ['No User']);
      assert.deepEqual(names('count le 0'), ['No User']);
      assert.deepEqual(names('count eq -1'), []);
      assert.deepEqual(names("count eq '12'"), ["O'Brien"]);
    });

    it('compares booleans', () => {
      assert.deepEqual(names('quarantined eq true'), ['Anna Berg']);
      assert.deepEqual(names('quarantined ne true'), ["O'Brien", 'No User']);
      assert.deepEqual(names('quarantined eq FALSE'), ["O'Brien", 'No User']);
    });

    it('compares dates as instants (ISO, with offset, space and slash forms)', () => {
      assert.deepEqual(names("lastUsed le '2024-01-01T23:59:59.999Z'"), ['Anna Berg', 'No User']);
      assert.deepEqual(names("lastUsed gt '2024-01-01 00:00:00'"), ["O'Brien"]);
      assert.deepEqual(names("lastUsed lt '2024/01/31 10:00:00'"), ["O'Brien", 'Anna Berg', 'No User']);
      assert.deepEqual(names("lastUsed eq '2024-01-10T10:00:00+02:00'"), ["O'Brien"]);
      assert.deepEqual(names("lastUsed ge '2024-01-01'"), ["O'Brien"]);
    });

    it('sees the 1753 "no date" as a date, as QRS filters do', () => {
      assert.deepEqual(names("lastUsed lt '1900-01-01'"), ['No User']);
    });

    it('parses the documented date forms', () => {
      assert.equal(parseQrsDate('2024-01-31T10:00:00Z'), Date.UTC(2024, 0, 31, 10));
      assert.equal(parseQrsDate('2024-01-31 10:00:00'), Date.UTC(2024, 0, 31, 10));
      assert.equal(parseQrsDate('2024/01/31 10:00:00'), Date.UTC(2024, 0, 31, 10));
      assert.equal(parseQrsDate('2024-01-31T10:00:00.1234567Z'), Date.UTC(2024, 0, 31, 10, 0, 0, 123));
      assert.equal(parseQrsDate('2024-01-31T10:00:00-0130'), Date.UTC(2024, 0, 31, 11, 30));
      assert.equal(parseQrsDate('2024-02-30'), undefined);
      assert.equal(parseQrsDate('yesterday'), undefined);
      assert.equal(parseQrsDate('2024-13-01'), undefined);
    });
  });

  describe('logic', () => {
    it('binds and tighter than or', () => {
      assert.deepEqual(names("name eq 'No User' or count gt 1 and quarantined eq true"), ['Anna Berg', 'No User']);
    });

    it('honours parentheses', () => {
      assert.deepEqual(names("(name eq 'No User' or count gt 1) and quarantined eq false"), ["O'Brien", 'No User']);
      assert.deepEqual(names("((count gt 1))"), ["O'Brien", 'Anna Berg']);
    });

    it('supports not', () => {
      assert.deepEqual(names('not quarantined eq true'), ["O'Brien", 'No User']);
      assert.deepEqual(names("not (count gt 1 or name eq 'No User')"), []);
    });

    it('accepts keywords in any case', () => {
      assert.deepEqual(names("count GT 1 AND quarantined Eq true"), ['Anna Berg']);
    });

    it('builds a tree', () => {
      const tree = parseQrsFilter("a eq 1 or b eq 'x' and c eq true");
      assert.equal(tree.kind, 'or');
    });
  });

  describe('errors name the position', () => {
    const cases: [string, RegExp, number][] = [
      ['', /empty/, 1],
      ["name eq 'open", /unterminated string starting at position 9/, 9],
      ['name equals 3', /expected an operator .* 'equals' at position 6/, 6],
      ['name eq', /expected a value .* end of filter at position 8/, 8],
      ["(name eq 'x'", /expected '\)' but found end of filter/, 13],
      ["name eq 'x' count eq 1", /expected 'and', 'or' or the end .* 'count' at position 13/, 13],
      ["name eq 'x' and", /expected a property name .* end of filter/, 16],
      ['name eq #', /unexpected character '#' at position 9/, 9],
      ["nope eq 'x'", /unknown property 'nope' at position 1/, 1],
      ["count gt 'many'", /'count' is a number/, 10],
      ['name eq 3', /'name' is a string; quote the value/, 9],
      ['lastUsed gt 2024', /put it in single quotes/, 13],
      ["lastUsed gt 'soon'", /'soon' is not a date/, 13],
      ['quarantined gt true', /boolean; use eq or ne/, 16],
      ['count sw 1', /works on strings only/, 10],
      ['name gt null', /cannot compare with null/, 9],
      ["eq eq 'x'", /expected a property name but found 'eq' at position 1/, 1],
    ];
    for (const [filter, message, position] of cases) {
      it(`rejects ${JSON.stringify(filter)}`, () => {
        const e = failure(filter);
        assert.match(e.message, message);
        assert.equal(e.position, position);
      });
    }
  });

  describe('orderby', () => {
    it('parses a comma list with optional directions', () => {
      assert.deepEqual(parseQrsOrderBy('name asc, useStartTime DESC,id'), [
        { path: 'name', descending: false },
        { path: 'useStartTime', descending: true },
        { path: 'id', descending: false },
      ]);
    });

    it('rejects junk', () => {
      assert.throws(() => parseQrsOrderBy('name sideways'), /not asc or desc/);
      assert.throws(() => parseQrsOrderBy('name asc extra'), /expected 'property \[asc\|desc\]' at position 1/);
      assert.throws(() => parseQrsOrderBy('name,,id'), /at position 6/);
    });
  });
});

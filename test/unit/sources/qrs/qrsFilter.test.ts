import { strict as assert } from 'node:assert';
import { qrsAnd, qrsClause, qrsDate, qrsGuid, qrsString } from '../../../../src/sources/qrs/qrsFilter';

describe('qrsFilter', () => {
  it('quotes strings and doubles quotes inside them', () => {
    assert.equal(qrsClause('userId', 'eq', qrsString("o'brien")), "userId eq 'o''brien'");
  });

  it('writes dates as quoted ISO-8601 UTC', () => {
    assert.equal(qrsClause('useStartTime', 'ge', qrsDate(Date.UTC(2024, 0, 31, 10))), "useStartTime ge '2024-01-31T10:00:00.000Z'");
  });

  it('leaves GUIDs unquoted and refuses anything else in their place', () => {
    const guid = '107ac19b-9a9e-4b43-8a3c-2e7e3b0f1a2c';
    assert.equal(qrsClause('user.id', 'eq', qrsGuid(guid)), `user.id eq ${guid}`);
    assert.throws(() => qrsGuid("x or userId eq 'a'"), RangeError);
  });

  it('joins with and, grouping clauses that contain or', () => {
    const a = qrsClause('userDirectory', 'eq', qrsString('CORP'));
    assert.equal(qrsAnd(a, qrsClause('userId', 'eq', qrsString('jdoe'))), "userDirectory eq 'CORP' and userId eq 'jdoe'");
    assert.equal(qrsAnd(a, "x eq 'a' or x eq 'b'"), "userDirectory eq 'CORP' and (x eq 'a' or x eq 'b')");
    assert.equal(qrsAnd(a), a);
  });

  it('refuses property names that are not property paths', () => {
    assert.throws(() => qrsClause("userId eq 'x' or userId", 'eq', qrsString('y')), RangeError);
  });
});

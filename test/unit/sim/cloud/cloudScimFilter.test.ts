import { strict as assert } from 'node:assert';
import { compileScimFilter, parseScimFilter, ScimFilterError, scimAttributes, topLevelConjuncts, type ScimAttribute } from '../../../../src/sim/cloud/cloudScimFilter';

interface Row {
  readonly name: string;
  readonly status: string;
  readonly endTime: number;
  readonly roles: readonly string[];
}

const ATTRS: Record<string, ScimAttribute<Row>> = {
  name: { operators: ['eq', 'co'], get: (r) => r.name },
  status: { operators: ['eq'], get: (r) => r.status },
  endTime: { operators: ['eq', 'ge', 'gt', 'le', 'lt'], type: 'date', get: (r) => r.endTime },
  'assignedRoles.name': { operators: ['eq'], get: (r) => r.roles },
};

const ROWS: readonly Row[] = [
  { name: 'Anna Berg', status: 'active', endTime: Date.UTC(2026, 9, 1), roles: ['TenantAdmin'] },
  { name: 'Bob "Bobby" Tables', status: 'disabled', endTime: Date.UTC(2026, 9, 15), roles: [] },
  { name: 'Carla Costa', status: 'active', endTime: Date.UTC(2026, 10, 1), roles: ['AnalyticsAdmin', 'TenantAdmin'] },
];

function names(filter: string): string[] {
  const keep = compileScimFilter(parseScimFilter(filter), ATTRS);
  return ROWS.filter(keep).map((r) => r.name);
}

function refuses(filter: string, message: RegExp): void {
  assert.throws(() => compileScimFilter(parseScimFilter(filter), ATTRS), (e: unknown) => e instanceof ScimFilterError && message.test(e.message), filter);
}

describe('cloudScimFilter', () => {
  it('eq and co compare without case, on quoted strings', () => {
    assert.deepEqual(names('name eq "anna berg"'), ['Anna Berg']);
    assert.deepEqual(names('name co "COSTA"'), ['Carla Costa']);
    assert.deepEqual(names('NAME Eq "Anna Berg"'), ['Anna Berg'], 'attribute names and operators are case-insensitive');
  });

  it('reads escapes in quoted strings', () => {
    assert.deepEqual(names('name eq "Bob \\"Bobby\\" Tables"'), ['Bob "Bobby" Tables']);
    assert.deepEqual(names('name co "\\u0042ob"'), ['Bob "Bobby" Tables']);
  });

  it('ge, gt, le and lt compare date-times as instants', () => {
    assert.deepEqual(names('endTime ge "2026-10-15T00:00:00Z"'), ['Bob "Bobby" Tables', 'Carla Costa']);
    assert.deepEqual(names('endTime gt "2026-10-15T00:00:00.000Z"'), ['Carla Costa']);
    assert.deepEqual(names('endTime le "2026-10-15T00:00:00Z"'), ['Anna Berg', 'Bob "Bobby" Tables']);
    assert.deepEqual(names('endTime lt "2026-10-15T02:00:00+02:00"'), ['Anna Berg'], 'offsets count');
    assert.deepEqual(names('endTime ge "2026-10-01T00:00:00Z" and endTime lt "2026-11-01T00:00:00Z"'), ['Anna Berg', 'Bob "Bobby" Tables']);
  });

  it('and binds tighter than or; parentheses regroup', () => {
    assert.deepEqual(names('name co "anna" or name co "carla" and status eq "disabled"'), ['Anna Berg']);
    assert.deepEqual(names('(name co "anna" or name co "carla") and status eq "active"'), ['Anna Berg', 'Carla Costa']);
    assert.deepEqual(names('((status eq "disabled"))'), ['Bob "Bobby" Tables']);
  });

  it('matches multi-valued attributes when any value does', () => {
    assert.deepEqual(names('assignedRoles.name eq "tenantadmin"'), ['Anna Berg', 'Carla Costa']);
  });

  it('refuses what the subset leaves out, in its own words', () => {
    refuses('name ne "x"', /ne operator is not supported/);
    refuses('name sw "x"', /sw operator is not supported/);
    refuses('name pr', /pr operator is not supported/);
    refuses('not (name eq "x")', /not operator is not supported/);
    refuses('emails[type eq "work"]', /Value filters/);
  });

  it('refuses syntax errors', () => {
    refuses('', /empty/);
    refuses('name eq', /no value/);
    refuses('name eq Anna', /quoted string/);
    refuses('name eq "Anna', /not closed/);
    refuses('(name eq "a"', /not closed/);
    refuses('name eq "a" status eq "b"', /Unexpected/);
    refuses('name eq "a" and', /ends too early/);
    refuses('name eq "\\q"', /escape/);
  });

  it('refuses attributes and operators the list does not allow', () => {
    refuses('email eq "a@b"', /'email' cannot be filtered on here/);
    refuses('status co "act"', /supports eq, not co/);
    refuses('endTime ge "last week"', /not an ISO 8601 date-time/);
  });

  it('lists the attributes and the top-level conjuncts of a filter', () => {
    const node = parseScimFilter('(name eq "a" or name eq "b") and (status eq "active" or Status eq "disabled")');
    assert.deepEqual([...scimAttributes(node)].sort(), ['name', 'status']);
    assert.deepEqual(topLevelConjuncts(node).map((n) => [...scimAttributes(n)]), [['name'], ['status']]);
  });
});

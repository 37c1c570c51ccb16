import { strict as assert } from 'node:assert';
import { ConfigError } from '../../../../src/core/errors';
import { featurePath, resolveReportPaths, V1_REPORT_PATHS } from '../../../../src/sources/licstats/licstatsReports';

describe('License Statistics report paths', () => {
  it('defaults to the v1 paths the issue lists', () => {
    assert.deepEqual(resolveReportPaths(undefined), {
      licenseServers: '/api/v1/license-server',
      features: '/api/v1/report/feature',
      usagePerUser: '/api/v1/report/license-server/all/usage-per-user',
      denials: '/api/v1/report/feature/{fid}/denials',
      currentUsers: '/api/v1/report/users/current',
      borrowed: '/api/v1/report/license-server/all/borrowed-licenses',
      expiring: '/api/v1/report/expiry/server/all',
    });
  });

  it('lays a connection\'s overrides over the defaults, trimming a trailing slash', () => {
    const paths = resolveReportPaths({ usagePerUser: ' /api/v3/reports/usage-per-user/ ', denials: '/api/v3/features/{fid}/denials' });
    assert.equal(paths.usagePerUser, '/api/v3/reports/usage-per-user');
    assert.equal(paths.denials, '/api/v3/features/{fid}/denials');
    assert.equal(paths.features, V1_REPORT_PATHS.features);
  });

  const refused: readonly [string, Record<string, unknown>, RegExp][] = [
    ['an unknown report', { usage: '/x' }, /"reports\.usage" is not a License Statistics report this client reads; the reports are licenseServers, features, usagePerUser/],
    ['a path that is no string', { features: 7 }, /"reports\.features" must be a path such as "\/api\/v1\/report\/feature"/],
    ['a full URL', { features: 'https://licstat.example.com/api/v3/features' }, /must be a path below the connection's URL starting with "\/"/],
    ['a query string copied from the browser', { features: '/api/v3/features?limit=25' }, /must not carry a query string: .*Leave out everything from "\?" on/],
    ['the format segment', { features: '/api/v3/features/json' }, /must end before the format segment: License Steward adds "\/json" itself\. Leave out the last "\/json"/],
    ['a denials path without {fid}', { denials: '/api/v3/denials' }, /"reports\.denials" reads one feature's denials, so it must contain "\{fid\}"/],
  ];
  for (const [what, overrides, message] of refused) {
    it(`refuses ${what} with a ConfigError naming the entry`, () => {
      assert.throws(() => resolveReportPaths(overrides), (e: unknown) => e instanceof ConfigError && message.test(e.message));
    });
  }

  it('puts the feature id, URL-encoded, where {fid} stands', () => {
    assert.equal(featurePath(V1_REPORT_PATHS.denials, '104'), '/api/v1/report/feature/104/denials');
    assert.equal(featurePath('/f/{fid}/d', 'a/b c'), '/f/a%2Fb%20c/d');
  });
});

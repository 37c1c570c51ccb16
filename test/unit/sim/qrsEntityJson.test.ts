import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createQrsContract } from '../../../src/sim/qrs/qrsContract';
import { aboutJson } from '../../../src/sim/qrs/qrsEntityJson';

/** The spec file itself, read here rather than through the module under test. */
const spec = JSON.parse(readFileSync(path.resolve(__dirname, '../../../specs/qrs-license.swagger.json'), 'utf8')) as {
  info: { version: string; description: string };
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

describe('qrsEntityJson', () => {
  describe('aboutJson', () => {
    it("reports the build of the spec the contract validates against, dated after the release its description names", () => {
      const about = aboutJson();
      assert.equal(about['buildVersion'], spec.info.version);
      assert.deepEqual(createQrsContract().validateResponse({ method: 'GET', path: '/about', status: 200, body: about }), []);
      const release = new RegExp(`(${MONTHS.join('|')}) (\\d{4})`).exec(spec.info.description);
      assert.ok(release, spec.info.description);
      const from = Date.UTC(Number(release[2]), MONTHS.indexOf(release[1] ?? ''), 1);
      const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) \d{1,2}:\d\d:\d\d [AP]M$/.exec(String(about['buildDate']));
      assert.ok(m, 'QRS writes M/D/YYYY h:mm:ss AM');
      const built = Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]));
      // A patch of that release: within the quarter that follows it.
      assert.ok(built >= from && built < from + 92 * 86_400_000, `${String(about['buildDate'])} vs ${spec.info.description}`);
    });
  });
});

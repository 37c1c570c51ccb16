import { strict as assert } from 'node:assert';
import { groupByAction } from '../../../src/core/actionGroups';
import { DAY_MS } from '../../../src/core/model';
import { hoursStatusText, siteStatusText } from '../../../src/core/siteStatus';
import { summarize } from '../../../src/core/siteSummary';
import { connectionDescription, connectionTooltip, describeEstate, estateLines } from '../../../src/views/connectionNodeText';
import { capacityTenantRules, connectionRules } from '../../../src/views/connectionRules';
import { describeHours, describeUser, describeUserChangesAt } from '../../../src/views/userNodeText';
import { capacityResult, cloud, estate, licstatsResult, stateOf, userBasedResult } from './newSourcesFixtures';
import { NOW } from './treeFixtures';

describe('tenant and License Statistics node text', () => {
  it('groups a capacity tenant into active and inactive users, judged by sign-ins', () => {
    const groups = groupByAction(capacityResult().ranked);
    assert.deepEqual(groups.map((g) => g.label), ['Inactive users (1)', 'Active users (1)']);
    const [inactive] = groups;
    assert.equal(inactive?.users[0]?.user.name, 'Ivo Idle');
    assert.match(inactive?.users[0]?.verdict.text ?? '', /last signed in .*: no sign-in for 45 days \(threshold 30 days\) → disable candidate \(frees 1 Full User\)$/);
  });

  it('describes a Full User by session minutes and the age of the last sign-in, and ages with it', () => {
    const [ana] = capacityResult().ranked;
    assert.ok(ana);
    assert.equal(describeUser(ana, NOW), '60 session min · last sign-in 1 day ago');
    assert.ok(describeUserChangesAt(ana, NOW) < Infinity, 'the age of the sign-in changes with the clock');
  });

  it('puts an orphaned assignment in its own group, described as such', () => {
    const groups = groupByAction(userBasedResult().ranked);
    const orphaned = groups.find((g) => g.kind === 'orphaned');
    assert.equal(orphaned?.label, 'Orphaned assignments (1)');
    const row = orphaned?.users[0];
    assert.ok(row);
    assert.equal(describeUser(row, NOW), 'professional assignment · no such user on the tenant');
    assert.ok(!groups.find((g) => g.kind === 'revoke')?.users.includes(row), 'not also among the unused passes');
  });

  it('says Qlik publishes no price ratio when a user-based tenant has no break-even, and uses the connection’s own', () => {
    const capacityUser = userBasedResult().ranked.find((r) => r.allocation === null);
    assert.match(capacityUser?.verdict.text ?? '', /^120 capacity minutes in 28 days; no capacity break-even set \(Qlik publishes no price ratio/);
    const rules = { windowDays: 28, inactiveDays: 30, capacityBreakEvenMinutes: null };
    assert.equal(connectionRules(cloud, rules).capacityBreakEvenMinutes, null);
    assert.equal(connectionRules({ ...cloud, capacityBreakEvenMinutes: 600 }, rules).capacityBreakEvenMinutes, 600);
    assert.equal(capacityTenantRules(rules).windowDays, 90, 'a capacity tenant looks back as far as the audit log');
  });

  it('flags a License Statistics user who was denied, first, in a group of their own', () => {
    const result = licstatsResult();
    const groups = groupByAction(result.ranked);
    assert.deepEqual(groups.map((g) => g.label), ['Denied a license (1)', 'Never denied (1)']);
    const dora = groups[0]?.users[0];
    const ben = groups[1]?.users[0];
    assert.ok(dora && ben);
    assert.equal(describeUser(dora, NOW), 'denied 2× · 0 h');
    assert.equal(describeHours(ben), '12.5 h · peak 2 licenses');
    assert.match(dora.verdict.text, /denied 2 times: needed a license that was not there$/);
  });

  it('shows idle borrows and expiring features on a License Statistics connection', () => {
    const s = stateOf('licstats', licstatsResult(), { estate });
    assert.equal(describeEstate(estate), '1 borrowed license idle 7+ days · 1 feature expires within 30 days');
    assert.equal(connectionDescription(s, summarize(s.result?.ranked ?? []), NOW), '1 denied a license · 1 borrowed license idle 7+ days · 1 feature expires within 30 days · synced just now');
    const lines = estateLines(estate, NOW);
    assert.deepEqual(lines.map((l) => l.icon), ['info', 'warning', 'calendar']);
    assert.match(lines[1]?.text ?? '', /^acfd: 1 borrowed by ben on ws-17 9 days ago\.$/);
    const md = connectionTooltip(s, undefined, 30, NOW);
    assert.match(md.split('\n\n')[0] ?? '', /^\*\*Eng\*\* — License Statistics {2}\n/);
    assert.match(md, /\$\(calendar\) MATLAB 2026a expires /);
    assert.match(md, /1 user was denied a license in the window/);
  });

  it('describes a capacity tenant by its Full Users and its inactive users', () => {
    const result = capacityResult();
    const summary = summarize(result.ranked);
    const s = stateOf('cloud', result, { tenant: 'acme.eu.qlikcloud.com is a capacity tenant: its license overview allots no professional licenses.' });
    assert.equal(connectionDescription(s, summary, NOW + DAY_MS), '2 of 50 Full Users · 1 inactive · synced 1 day ago');
    const md = connectionTooltip(s, summary, 30, NOW);
    assert.match(md, /— Qlik Cloud {2}\n/);
    assert.match(md, /is a capacity tenant/);
    assert.match(md, /Full Users: 2 of 50 purchased in use, 48 available\./);
    assert.match(md, /1 user has not signed in for 30\+ days: disabling it releases a Full User\./);
  });
});

describe('the status bar of tenants and License Statistics', () => {
  it('counts Full Users on a capacity tenant, and denied users and hours on License Statistics', () => {
    assert.equal(siteStatusText('Tenant', capacityResult().overview), 'Tenant: 48 of 50 Full Users free');
    assert.equal(siteStatusText('Tenant', userBasedResult().overview), 'Tenant: 8 professional, 20 analyzer free');
    assert.equal(hoursStatusText('Eng', licstatsResult().ranked), 'Eng: 1 denied · 12.5 h');
  });
});

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { COMMAND, CONNECTION_FLAG, CONTEXT, NODE_KIND, NODE_ONLY_COMMANDS, SETTING, USER_FLAG, VIEW, WEBVIEW } from '../../src/contributionIds';

interface Manifest {
  activationEvents: string[];
  capabilities?: { untrustedWorkspaces?: { supported: boolean | 'limited'; restrictedConfigurations?: string[] } };
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    views: Record<string, { id: string }[]>;
    viewsContainers: { activitybar: { id: string }[] };
    viewsWelcome: { view: string; contents: string; when?: string }[];
    configuration: { properties: Record<string, { scope?: string; additionalProperties?: unknown }> };
  };
}

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as Manifest;
const c = manifest.contributes;
const allWhen = [...Object.values(c.menus).flat().map((m) => m.when ?? ''), ...c.viewsWelcome.map((w) => w.when ?? '')];

describe('package.json manifest', () => {
  it('contributes exactly the commands declared in code, each with the category', () => {
    const declared = new Set<string>(Object.values(COMMAND));
    const contributed = c.commands.map((x) => x.command);
    assert.equal(new Set(contributed).size, contributed.length, 'a command is contributed twice');
    assert.deepEqual([...contributed].sort(), [...declared].sort());
    assert.ok(c.commands.every((x) => x.category === 'License Steward' && x.title.length > 0));
  });

  it('menus only name contributed commands; node-only commands are hidden from the palette', () => {
    const contributed = new Set(c.commands.map((x) => x.command));
    for (const [menu, items] of Object.entries(c.menus)) {
      for (const item of items) {
        assert.ok(contributed.has(item.command), `${menu} names unknown ${item.command}`);
      }
    }
    for (const id of NODE_ONLY_COMMANDS) {
      assert.ok(c.menus['commandPalette']?.some((m) => m.command === id && m.when === 'false'), `${id} shows in the palette`);
    }
  });

  it('declares the view container, the view and the welcome views in code', () => {
    assert.deepEqual(c.viewsContainers.activitybar.map((v) => v.id), [VIEW.container]);
    assert.deepEqual(c.views[VIEW.container]?.map((v) => v.id), [VIEW.users, VIEW.plan]);
    assert.ok(c.viewsWelcome.every((w) => w.view === VIEW.users));
    const commandLinks = c.viewsWelcome.flatMap((w) => [...w.contents.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]));
    assert.ok(commandLinks.every((id) => (Object.values(COMMAND) as string[]).includes(id ?? '')), `welcome links: ${commandLinks.join(', ')}`);
  });

  it('uses only context keys, node kinds and flags declared in code in its when clauses', () => {
    const keys = new Set<string>(Object.values(CONTEXT));
    for (const when of allWhen) {
      for (const m of when.matchAll(/licenseSteward:\w+/g)) {
        assert.ok(keys.has(m[0]), `unknown context key ${m[0]} in "${when}"`);
      }
      for (const m of when.matchAll(/viewItem =~ \/\^(\w+)/g)) {
        assert.ok((Object.values(NODE_KIND) as string[]).includes(m[1] ?? ''), `unknown node kind ${m[1]}`);
      }
      for (const m of when.matchAll(/\\\+\(?([\w|-]+)\)?\\b/g)) {
        for (const flag of (m[1] ?? '').split('|')) {
          assert.ok([...Object.values(USER_FLAG), ...Object.values(CONNECTION_FLAG), 'configured', 'demo'].includes(flag), `unknown flag ${flag} in "${when}"`);
        }
      }
      if (when.includes('view ==')) {
        assert.ok([VIEW.users, VIEW.plan].some((v) => when.includes(`view == ${v}`)), `unknown view in "${when}"`);
      }
    }
    // Every declared context key is used somewhere, or it is dead code.
    for (const key of keys) {
      assert.ok(allWhen.some((w) => w.includes(key)) || c.commands.some((x) => JSON.stringify(x).includes(key)), `${key} is never used`);
    }
  });

  it('declares every setting in code, and nothing else', () => {
    const props = Object.keys(c.configuration.properties).map((k) => k.replace(`${SETTING.section}.`, ''));
    const declared = Object.entries(SETTING).filter(([k]) => k !== 'section').map(([, v]) => v);
    assert.deepEqual(props.sort(), [...declared].sort());
  });

  it('lets no workspace set a setting that deletes or sends data', () => {
    // Why each one matters: a cloned repository's .vscode/settings.json must not be able to do it.
    const deletesOrSends: Readonly<Record<string, string>> = {
      [SETTING.connections]: 'sends requests, with the secrets stored for a connection id, to the URL it names',
      [SETTING.historyRetentionDays]: 'deletes stored usage history older than it at the next compaction',
      [SETTING.syncOnStartup]: 'sends requests, with the stored secrets, to every configured connection whenever a window opens',
      [SETTING.policies]: 'says which passes Apply Plan assigns and revokes, and which users it must never touch',
    };
    // Only change the ranking shown; nothing is deleted or sent because of them.
    const displayOnly: readonly string[] = [SETTING.windowDays, SETTING.inactiveDays, SETTING.pageSize, SETTING.capacityBreakEvenMinutes];
    const declared = Object.entries(SETTING).filter(([k]) => k !== 'section').map(([, v]) => v);
    assert.deepEqual([...Object.keys(deletesOrSends), ...displayOnly].sort(), [...declared].sort(), 'every setting is judged');
    const trust = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(trust?.supported, 'limited');
    const restricted = trust?.restrictedConfigurations ?? [];
    for (const [key, why] of Object.entries(deletesOrSends)) {
      const id = `${SETTING.section}.${key}`;
      assert.equal(c.configuration.properties[id]?.scope, 'application', `${id} ${why}: only user settings may set it`);
      assert.ok(restricted.includes(id), `${id} ${why}: restricted in untrusted workspaces`);
    }
    for (const id of restricted) {
      assert.ok(id in c.configuration.properties, `restrictedConfigurations names unknown ${id}`);
    }
  });

  it('revives every webview panel type after a reload (onWebviewPanel is not implicit)', () => {
    assert.deepEqual(manifest.activationEvents.filter((e) => e.startsWith('onWebviewPanel:')).sort(), Object.values(WEBVIEW).map((v) => `onWebviewPanel:${v}`).sort());
  });

  it('offers the usage history on user and connection nodes, and in the palette', () => {
    const ctx = c.menus['view/item/context'] ?? [];
    const on = ctx.filter((m) => m.command === COMMAND.showUsageHistory).map((m) => m.when ?? '');
    assert.ok(on.some((w) => w.includes('viewItem =~ /^user\\+/')), on.join(' | '));
    assert.ok(on.some((w) => w.includes('viewItem =~ /^connection\\+/')), on.join(' | '));
    assert.ok(!c.menus['commandPalette']?.some((m) => m.command === COMMAND.showUsageHistory), 'read-only: no palette condition');
  });

  it('offers a right-click action for every user flag that names a pass state', () => {
    const ctx = c.menus['view/item/context'] ?? [];
    const on = (flag: string) => ctx.filter((m) => (m.when ?? '').includes(flag)).map((m) => m.command);
    assert.ok(on('offer-user').includes(COMMAND.assignUserPass));
    assert.ok(on('offer-professional').includes(COMMAND.assignProfessional));
    assert.ok(on('offer-analyzer').includes(COMMAND.assignAnalyzer));
    assert.ok(on('holds').includes(COMMAND.revokePass));
    assert.ok(on('quarantined').includes(COMMAND.reinstatePass));
  });

  it('offers Find User in the view title and the palette, and one layout toggle at a time', () => {
    const title = c.menus['view/title'] ?? [];
    assert.ok(title.some((m) => m.command === COMMAND.findUser), 'Find User is in the view title');
    assert.ok(!c.menus['commandPalette']?.some((m) => m.command === COMMAND.findUser), 'Find User is in the palette');
    const layout = CONTEXT.treeLayout;
    const when = (menu: string, id: string) => (c.menus[menu] ?? []).filter((m) => m.command === id).map((m) => m.when ?? '');
    for (const menu of ['view/title', 'commandPalette']) {
      // Exactly one shows for any value of the key, unset (the default: grouped) included.
      assert.deepEqual(when(menu, COMMAND.showFlatRanking).map((w) => w.includes(`${layout} != flat`)), [true], menu);
      assert.deepEqual(when(menu, COMMAND.groupByAction).map((w) => w.includes(`${layout} == flat`)), [true], menu);
    }
    const titleCommands: readonly string[] = [COMMAND.findUser, COMMAND.showFlatRanking, COMMAND.groupByAction];
    assert.ok(c.commands.filter((x) => titleCommands.includes(x.command)).every((x) => 'icon' in x), 'view-title commands have icons');
  });
  it('describes licenseSteward.policies with the shipped policy schema, inlined (settings allow no $ref to a file)', () => {
    // VS Code's configuration schema takes no $ref (microsoft/vscode#97662): package.json carries a
    // copy, and this keeps it the schema the CLI and parsePolicy validate with.
    const file = JSON.parse(readFileSync(path.resolve(__dirname, '../../schemas/policy.schema.json'), 'utf8')) as Record<string, unknown> & { definitions: Record<string, unknown> };
    const inline = (x: unknown): unknown => {
      if (Array.isArray(x)) return x.map(inline);
      if (typeof x !== 'object' || x === null) return x;
      const ref = (x as { $ref?: string }).$ref;
      if (ref) return inline(file.definitions[ref.replace('#/definitions/', '')]);
      return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, inline(v)]));
    };
    const { $schema: _s, $id: _i, title: _t, definitions: _d, ...policy } = file;
    assert.deepEqual(c.configuration.properties[`${SETTING.section}.${SETTING.policies}`]?.additionalProperties, inline(policy));
  });

  it('plans from a connection node and the palette; applies and closes from the Plan view and the palette', () => {
    const ctx = c.menus['view/item/context'] ?? [];
    assert.ok(ctx.some((m) => m.command === COMMAND.planChanges && (m.when ?? '').includes('viewItem =~ /^connection\\+/')), 'Plan License Changes on connection nodes');
    assert.ok(!c.menus['commandPalette']?.some((m) => m.command === COMMAND.planChanges), 'Plan License Changes in the palette (it picks a connection)');
    const title = c.menus['view/title'] ?? [];
    const planState = CONTEXT.planState;
    assert.ok(title.some((m) => m.command === COMMAND.applyPlan && m.when === `view == ${VIEW.plan} && ${planState} == ready`));
    assert.ok(c.menus['commandPalette']?.some((m) => m.command === COMMAND.applyPlan && m.when === `${planState} == ready && isWorkspaceTrusted`), 'Apply Plan in the palette only with a plan, in a trusted workspace');
    assert.ok(title.some((m) => m.command === COMMAND.closePlan && (m.when ?? '').startsWith(`view == ${VIEW.plan}`)));
  });

  it('hides every write command from a read-only (License Statistics) node, and offers the Cloud ones where they apply', () => {
    const ctx = c.menus['view/item/context'] ?? [];
    // The viewItem regexes of a when clause, as VS Code evaluates them against a contextValue.
    const matches = (when: string, contextValue: string) =>
      [...when.matchAll(/viewItem =~ \/(.+?)\/(?= |$)/g)].every((m) => new RegExp(m[1] ?? '').test(contextValue));
    const writes: readonly string[] = [
      COMMAND.assignUserPass, COMMAND.assignProfessional, COMMAND.assignAnalyzer, COMMAND.revokePass, COMMAND.reinstatePass,
      COMMAND.changePassKind, COMMAND.disableUser, COMMAND.releaseAssignment,
    ];
    const shown = (contextValue: string) => ctx.filter((m) => (m.when ?? '').includes('viewItem') && matches(m.when ?? '', contextValue)).map((m) => m.command);
    for (const readOnly of [`user+${USER_FLAG.readonly}`, `user+${USER_FLAG.readonly}+${USER_FLAG.denied}`]) {
      assert.deepEqual(shown(readOnly).filter((id) => writes.includes(id)), [], readOnly);
      assert.ok(shown(readOnly).includes(COMMAND.showUsageHistory), 'the history still shows');
    }
    assert.ok(!shown(`connection+configured+synced+${CONNECTION_FLAG.licstats}`).includes(COMMAND.planChanges), 'no plan on a read-only connection');
    assert.ok(shown(`connection+configured+synced+${CONNECTION_FLAG.cloud}`).includes(COMMAND.planChanges));
    assert.ok(shown(`user+${USER_FLAG.nopass}+${USER_FLAG.fulluser}`).includes(COMMAND.disableUser));
    assert.ok(shown(`user+${USER_FLAG.orphaned}`).includes(COMMAND.releaseAssignment));
    assert.ok(!shown(`user+${USER_FLAG.orphaned}`).includes(COMMAND.revokePass), 'an orphan is released, from its own group');
    const cloudUser = shown(`user+${USER_FLAG.holds}+${USER_FLAG.changeable}+${USER_FLAG.offerProfessional}+${USER_FLAG.offerAnalyzer}`);
    assert.ok(cloudUser.includes(COMMAND.changePassKind) && cloudUser.includes(COMMAND.revokePass));
    assert.deepEqual(shown(`user+${USER_FLAG.nopass}+${USER_FLAG.offerProfessional}+${USER_FLAG.offerAnalyzer}`).filter((id) => writes.includes(id)).sort(), [COMMAND.assignAnalyzer, COMMAND.assignProfessional].sort());
  });
});

// Smoke check of the packaged extension, driven by its manifest: each activity-bar container it
// contributes appears once the VSIX is installed, opens, and shows its unconditional views.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openWorkbench, type Workbench } from '../harness/uiSession';
import { openView, treeView } from '../harness/workbench';

interface Manifest {
  readonly contributes?: {
    readonly viewsContainers?: { readonly activitybar?: ReadonlyArray<{ readonly id: string; readonly title: string }> };
    readonly views?: Readonly<Record<string, ReadonlyArray<{ readonly name: string; readonly when?: string }>>>;
  };
}

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as Manifest;
const containers = manifest.contributes?.viewsContainers?.activitybar ?? [];

describe('packaged extension', () => {
  let workbench: Workbench | undefined;
  before(async () => {
    workbench = await openWorkbench(containers[0] ? { containerTitle: containers[0].title } : {});
  });
  after(async () => {
    await workbench?.close();
  });

  it('contributes an activity-bar view container', () => {
    assert.ok(containers.length > 0);
  });

  for (const container of containers) {
    it(`opens the ${container.title} container and its views`, async () => {
      assert.ok(workbench);
      await openView(workbench.page, container.title);
      const views = (manifest.contributes?.views?.[container.id] ?? []).filter((v) => v.when === undefined);
      for (const view of views) await treeView(workbench.page, view.name).waitFor();
      await workbench.screenshot(`container-${container.id}`);
    });
  }
});

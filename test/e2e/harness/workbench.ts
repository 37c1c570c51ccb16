// Helpers for UI specs, with selectors checked against VS Code 1.139 web (code-server 4.139.1).
// Menus, dialogs and the palette are HTML in the web workbench, so Playwright can click them all.
import type { FrameLocator, Locator, Page } from 'playwright-core';

/** Default wait for anything the workbench renders after an extension round trip. */
const UI_TIMEOUT = 20_000;

/** Waits for the workbench and, if given, the activity-bar entry of an extension's view container. */
export async function waitForWorkbench(page: Page, containerTitle?: string): Promise<void> {
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
  // The palette lists an extension's commands only once its contributions are registered; on a fresh
  // profile the activity-bar entry appears at that moment (a kept profile shows a cached entry
  // earlier, which runCommand's retry absorbs).
  if (containerTitle) await activityBarItem(page, containerTitle).waitFor({ timeout: 60_000 });
}

/** Shows a view container from the activity bar (clicking an already shown one would hide it). */
export async function openView(page: Page, containerTitle: string): Promise<void> {
  const item = activityBarItem(page, containerTitle);
  await item.waitFor({ timeout: UI_TIMEOUT });
  const tab = page.locator('.part.activitybar li.action-item', { has: page.locator(activityBarLabel(containerTitle)) });
  const title = page.locator('.part.sidebar .composite.title', { hasText: containerTitle });
  const shown = (): Promise<boolean> => title.waitFor({ timeout: 3_000 }).then(() => true, () => false);
  if ((await tab.getAttribute('aria-selected')) !== 'true') {
    await item.click();
  }
  // A reload can restore the container as the active one with the side bar itself hidden, and
  // can finish restoring it just after a click: clicking the entry then hides what it showed. So
  // the entry is clicked until the side bar shows the container, a few times at most.
  for (let attempt = 0; attempt < 3 && !(await shown()); attempt++) {
    await item.click();
  }
  await title.waitFor({ timeout: UI_TIMEOUT });
}

/**
 * A view's pane, found by the view's display name (`contributes.views[].name`): the DOM carries
 * names, not view ids ("<name> Section" on the pane header, present even when it is merged away).
 */
export function treeView(page: Page, viewName: string): Locator {
  return page.locator('.part.sidebar .pane', { has: page.locator(`.pane-header[aria-label="${viewName} Section"]`) });
}

/** The rendered rows of a view's tree (virtualised: only rows in the viewport exist). */
export function treeRows(page: Page, viewName: string): Locator {
  return treeView(page, viewName).locator('.pane-body .monaco-list-row');
}

/** The row whose label matches; a string must match the whole label. */
export function treeRow(page: Page, viewName: string, label: string | RegExp): Locator {
  const text = typeof label === 'string' ? new RegExp(`^${escapeRegExp(label)}$`) : label;
  return treeRows(page, viewName).filter({ has: page.locator('.label-name', { hasText: text }) });
}

/** Labels of the rendered rows, top to bottom, once the tree shows at least `atLeast` rows. */
export async function treeRowLabels(page: Page, viewName: string, atLeast = 1): Promise<string[]> {
  const rows = treeRows(page, viewName);
  await rows.nth(atLeast - 1).waitFor({ timeout: UI_TIMEOUT });
  return (await rows.locator('.label-name').allInnerTexts()).map((t) => t.trim());
}

/**
 * Labels of the children of the expanded row `parent`, once at least `atLeast` are rendered: a
 * row expands at once but its children arrive a round trip later, and until then the rows below
 * it are its siblings.
 */
export async function childRowLabels(page: Page, viewName: string, parent: Locator, atLeast = 1): Promise<string[]> {
  const level = Number(await parent.getAttribute('aria-level'));
  const parentLabel = ((await parent.locator('.label-name').first().innerText()) ?? '').trim();
  let children: string[] = [];
  await until(async () => {
    const rows = await treeRows(page, viewName).evaluateAll((els) =>
      els.map((el) => ({ level: Number(el.getAttribute('aria-level')), label: (el.querySelector('.label-name')?.textContent ?? '').trim() })),
    );
    const at = rows.findIndex((r) => r.level === level && r.label === parentLabel);
    children = [];
    for (const row of at < 0 ? [] : rows.slice(at + 1)) {
      if (row.level <= level) break;
      if (row.level === level + 1) children.push(row.label);
    }
    return children.length >= atLeast;
  }, `${atLeast} child row(s) under "${parentLabel}"`);
  return children;
}

/**
 * Expands the row whose label matches (a click toggles a row, so only a collapsed one is clicked)
 * and returns it; waits for the row to appear first, up to `timeout`.
 */
export async function expandTreeRow(page: Page, viewName: string, label: string | RegExp, timeout = UI_TIMEOUT): Promise<Locator> {
  const row = treeRow(page, viewName, label);
  await row.waitFor({ timeout });
  // A sync that lands meanwhile re-renders the tree (a group's count in its label changes), and a
  // click on the row being replaced is lost: click again while the row stays collapsed.
  await until(async () => {
    const expanded = await row.getAttribute('aria-expanded');
    if (expanded === 'false') {
      await row.click();
      await page.waitForTimeout(500);
    }
    return (await row.getAttribute('aria-expanded')) === 'true';
  }, `the row "${String(label)}" to expand`);
  return row;
}

/**
 * Right-clicks `row` and picks the context-menu item whose label contains `itemText`. With
 * `outcome`, waits for it to show and right-clicks again if it does not: a menu that closes for
 * another reason (focus moving to a toast) looks the same as one that ran its item.
 */
export async function contextMenu(page: Page, row: Locator, itemText: string, outcome?: Locator): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await row.click({ button: 'right' });
    await clickMenuItem(page, itemText);
    if (!outcome) return;
    const shown = await outcome.waitFor({ timeout: 5_000 }).then(() => true, () => false);
    if (shown) return;
    if (attempt === 3) throw new Error(`"${itemText}" ran from the context menu three times without showing its result`);
  }
}

/** Clicks a button of a view's welcome content (`contributes.viewsWelcome`, shown while the tree is empty). */
export async function clickWelcomeButton(page: Page, viewName: string, text: string): Promise<void> {
  await treeView(page, viewName).locator('.welcome-view-content .monaco-button', { hasText: text }).click({ timeout: UI_TIMEOUT });
}

/** Clicks a view's title-bar action (`menus["view/title"]`) by its tooltip, opening "More Actions..." if needed. */
export async function viewTitleAction(page: Page, viewName: string, title: string): Promise<void> {
  const header = treeView(page, viewName).locator('.pane-header');
  await header.waitFor({ state: 'attached', timeout: UI_TIMEOUT });
  // A container with a single view hides the view's header and shows its actions in the side bar's title.
  const bar = (await header.isVisible()) ? header : page.locator('.part.sidebar .composite.title');
  await bar.hover(); // a view header shows its actions only while hovered or focused
  const inline = bar.locator(`a.action-label[aria-label^="${title}"]`).first();
  if (await inline.isVisible()) {
    await inline.click();
    return;
  }
  await bar.locator('a.codicon-toolbar-more').click();
  await clickMenuItem(page, title);
}

/** Runs a command from the palette (F1) by its full title, e.g. "License Steward: Sync". */
export async function runCommand(page: Page, title: string): Promise<void> {
  const deadline = Date.now() + UI_TIMEOUT;
  // The palette lists what is registered when it opens. Right after a (re)load the extension may
  // not be yet, even with its activity-bar entry showing (a kept profile caches that entry), so
  // reopen the palette until the command is there.
  for (;;) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: UI_TIMEOUT });
    await input.fill(`>${title}`);
    // Enter would run the first row, which need not be this command; match the label exactly.
    const row = quickInputRow(page, title);
    const listed = await row.waitFor({ timeout: 2_000 }).then(() => true, () => false);
    if (listed) {
      await row.click();
      return;
    }
    await page.keyboard.press('Escape');
    if (Date.now() > deadline) throw new Error(`"${title}" is not in the command palette`);
  }
}

/** Picks an item from an open QuickPick by its exact label. */
export async function pickQuickItem(page: Page, label: string): Promise<void> {
  await quickInputRow(page, label).click({ timeout: UI_TIMEOUT });
}

/** Types into an open input box (or QuickPick filter) and accepts with Enter. */
export async function typeQuickInput(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: UI_TIMEOUT });
  await input.fill(text);
  await input.press('Enter');
}

/**
 * Answers VS Code's own file dialog (the web workbench's "simple" dialog: a quick input holding a
 * folder path above that folder's entries) the way a user does: type the folder, wait for it to be
 * listed, click the file. Typing a whole file path and pressing Enter races the dialog's own path
 * completion, so this never does that. The dialog shows its starting folder at once but lists it
 * later; when that listing lands after our folder was typed, it types the starting folder at the
 * caret (leaving an impossible path and "The path does not exist"), so the folder is typed again
 * until the dialog lists the file under it.
 */
export async function chooseFileInDialog(page: Page, titleText: string, filePath: string): Promise<void> {
  const dialog = page.locator('.quick-input-widget', { has: page.locator('.quick-input-title', { hasText: titleText }) });
  const input = dialog.locator('.quick-input-box input');
  await input.waitFor({ timeout: UI_TIMEOUT });
  await until(async () => (await input.inputValue()).endsWith('/'), 'the file dialog to show its starting folder');
  const slash = filePath.lastIndexOf('/');
  const folder = filePath.slice(0, slash + 1);
  const name = filePath.slice(slash + 1);
  const row = dialog.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) });
  // Give the starting folder's listing a moment to land first; the loop below copes if it is later.
  await dialog.locator('.monaco-list-row').first().waitFor({ timeout: 5_000 }).catch(() => undefined);
  const deadline = Date.now() + UI_TIMEOUT;
  for (;;) {
    if ((await input.inputValue()) !== folder) await input.fill(folder);
    const listed = await row.waitFor({ timeout: 3_000 }).then(() => true, () => false);
    if (listed && (await input.inputValue()) === folder) break;
    if (Date.now() > deadline) {
      const message = (await dialog.locator('.quick-input-message').innerText().catch(() => '')).trim();
      throw new Error(`The file dialog did not list ${name} in ${folder}: its input holds "${await input.inputValue()}"${message ? ` and it says "${message}"` : ''}`);
    }
  }
  await row.click({ timeout: UI_TIMEOUT });
  await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
}

/** Polls `condition` every 100 ms until it holds, failing with `what` after `timeout`. */
export async function until(condition: () => Promise<boolean>, what: string, timeout = UI_TIMEOUT): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Waits until no sync runs: no connection row of the view shows the spinning sync icon and no
 * "Syncing" progress toast is up. Call it once the sync has visibly started (e.g. the server saw its
 * requests): a right-click while a sync ends can lose its menu when the tree and toasts change.
 */
export async function waitForSyncIdle(page: Page, viewName: string, timeout = UI_TIMEOUT): Promise<void> {
  const spinning = treeRows(page, viewName).locator('.codicon-sync.codicon-modifier-spin');
  const progress = page.locator('.notifications-toasts .notification-toast', { hasText: /Syncing/ });
  await until(async () => (await spinning.count()) === 0 && (await progress.count()) === 0, 'the sync to finish', timeout);
}

/** Waits for a notification toast containing `text` and returns it. */
export async function notification(page: Page, text: string | RegExp, timeout = UI_TIMEOUT): Promise<Locator> {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).last();
  await toast.waitFor({ timeout });
  return toast;
}

/** Clicks a button on the notification containing `text`. */
export async function clickNotificationButton(page: Page, text: string | RegExp, button: string): Promise<void> {
  const toast = await notification(page, text);
  await toast.locator('.monaco-button', { hasText: button }).click();
}

/** The modal dialog (`showWarningMessage(..., { modal: true })`), an HTML dialog in the web workbench. */
export function modalDialog(page: Page): Locator {
  return page.locator('.monaco-dialog-box');
}

/** Waits for the modal dialog and clicks its button labelled exactly `text`. */
export async function modalDialogButton(page: Page, text: string): Promise<void> {
  const button = modalDialog(page).locator('.dialog-buttons .monaco-button', { hasText: new RegExp(`^${escapeRegExp(text)}$`) });
  await button.click({ timeout: UI_TIMEOUT });
  await modalDialog(page).waitFor({ state: 'detached', timeout: UI_TIMEOUT });
}

/** The active webview's document: VS Code nests it in two iframes, both served from code-server. */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

// A menu opened by a click ignores a click that lands too soon after it appeared (seen on the
// context menu): click until the menu closes, which is what running the item does.
async function clickMenuItem(page: Page, itemText: string): Promise<void> {
  const item = page.locator('.monaco-menu .action-item', { hasText: itemText });
  await item.waitFor({ timeout: UI_TIMEOUT });
  for (let attempt = 1; ; attempt++) {
    await item.click();
    const closed = await item.waitFor({ state: 'detached', timeout: 1_000 }).then(() => true, () => false);
    if (closed) return;
    if (attempt === 5) throw new Error(`menu item "${itemText}" did not run`);
  }
}

function activityBarItem(page: Page, containerTitle: string): Locator {
  return page.locator(`.part.activitybar ${activityBarLabel(containerTitle)}`);
}

function activityBarLabel(containerTitle: string): string {
  // Only the <a>: the tab's <li> repeats the label and a badge adds another element with it;
  // a prefix because a keybinding, when there is one, is appended to the label.
  return `a.action-label[aria-label^="${containerTitle}"]`;
}

function quickInputRow(page: Page, label: string): Locator {
  const exact = new RegExp(`^${escapeRegExp(label)}$`);
  return page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

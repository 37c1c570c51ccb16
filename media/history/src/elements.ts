/**
 * The VS Code Elements the page uses, imported one by one (not the whole library) to keep the
 * bundle small. Each import registers its custom element; there is nothing to assign.
 */
/* oxlint-disable import/no-unassigned-import */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';

export type { VscodeRadio } from '@vscode-elements/elements/dist/vscode-radio/vscode-radio.js';
export type { VscodeRadioGroup } from '@vscode-elements/elements/dist/vscode-radio-group/vscode-radio-group.js';

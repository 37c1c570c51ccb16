/** Entry of the usage-history webview bundle (dist/webview/history.js). */
/* oxlint-disable import/no-unassigned-import -- imported for their effects: */
import './history.css'; // emitted by esbuild as dist/webview/history.css
import './elements'; // registers the VS Code Elements custom elements
/* oxlint-enable import/no-unassigned-import */
import { HistoryApp } from './historyApp';
import { buildLayout } from './layout';
import { connectToHost } from './vscodeApi';

new HistoryApp(connectToHost(), buildLayout(document.body)).start();

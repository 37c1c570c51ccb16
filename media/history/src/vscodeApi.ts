import type { WebviewMessage } from '../../../src/protocol/historyMessages';

/** The part of VS Code's webview API this page uses. */
interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/**
 * VS Code's API, typed to the protocol so the page can only post well-formed messages.
 * `acquireVsCodeApi` may be called once per page, so this is too.
 */
export function connectToHost(): VsCodeApi {
  return acquireVsCodeApi();
}

export type { VsCodeApi };

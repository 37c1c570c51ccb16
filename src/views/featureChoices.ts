import type * as vscode from 'vscode';
import { STATE_KEY } from '../contributionIds';

/** The one feature a License Statistics connection is ranked by; words kept for the node's text. */
export interface FeatureChoice {
  /** The id the server lists it under: what the sync narrows to. */
  readonly id: string;
  readonly name: string;
  /** The license server it is served from, when the server said. */
  readonly server: string | null;
}

/**
 * The typed accessor for each connection's chosen feature. It lives in `globalState`, like the
 * tree layout: a choice made in the view, not a setting, that follows the admin into every
 * window and survives reloads. No entry means all features.
 */
export class FeatureChoices {
  constructor(private readonly memento: vscode.Memento) {}

  /** The feature `connectionId` is ranked by; undefined for all features. */
  get(connectionId: string): FeatureChoice | undefined {
    const chosen = this.all()[connectionId];
    return isFeatureChoice(chosen) ? chosen : undefined;
  }

  /** Remembers `choice` for `connectionId`; undefined goes back to all features. */
  async set(connectionId: string, choice: FeatureChoice | undefined): Promise<void> {
    const { [connectionId]: _old, ...rest } = this.all();
    await this.memento.update(STATE_KEY.featureChoice, choice ? { ...rest, [connectionId]: { id: choice.id, name: choice.name, server: choice.server } } : rest);
  }

  private all(): Record<string, unknown> {
    const stored = this.memento.get<unknown>(STATE_KEY.featureChoice);
    return stored !== null && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
  }
}

/** What another version of the extension or a hand-edited state left may not be one. */
function isFeatureChoice(v: unknown): v is FeatureChoice {
  if (v === null || typeof v !== 'object') {
    return false;
  }
  const c = v as Record<string, unknown>;
  return typeof c['id'] === 'string' && typeof c['name'] === 'string' && (c['server'] === null || typeof c['server'] === 'string');
}

/** `MATLAB only`, for the connection node. */
export function featureOnly(choice: FeatureChoice): string {
  return `${choice.name} only`;
}

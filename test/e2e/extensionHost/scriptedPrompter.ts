// A Prompter for extension-host specs that answers each question from a script and records what
// was asked, so a spec can check the flow's prefilled values and offered items, not just its end.
import * as vscode from 'vscode';
import { UserCancelled } from '../../../src/commands/command';
import type { PickItem, Prompter } from '../../../src/commands/prompter';

/** One question a command asked. */
export type Question =
  | { readonly kind: 'pick'; readonly title: string; readonly placeHolder: string; readonly labels: readonly string[] }
  /** `password` only when the input hides what is typed. */
  | { readonly kind: 'input'; readonly title: string; readonly prompt: string; readonly value: string; readonly password?: true }
  | { readonly kind: 'openFile'; readonly title: string; readonly folder: string | undefined }
  | { readonly kind: 'confirm'; readonly title: string; readonly message: string };

/**
 * What to answer: for a pick, the label of the item (undefined: the first item); for an input,
 * the text (undefined: the prefilled value, as Enter does); for a file dialog, a path; for a
 * confirmation, true or false. `null` dismisses the question (UserCancelled).
 */
export type Answer = string | boolean | undefined | null;

/** A Prompter answering with `script`; `asked` lists every question in order. */
export function scriptedPrompter(script: (q: Question) => Answer): Prompter & { readonly asked: Question[] } {
  const asked: Question[] = [];
  const ask = (q: Question): Answer => {
    asked.push(q);
    const a = script(q);
    if (a === null) throw new UserCancelled();
    return a;
  };
  return {
    asked,
    confirm: async (message, _detail, action) => ask({ kind: 'confirm', title: action, message }) === true,
    pick: async <T>(items: readonly PickItem<T>[], options: { title: string; placeHolder?: string }): Promise<T> => {
      const a = ask({ kind: 'pick', title: options.title, placeHolder: options.placeHolder ?? '', labels: items.map((i) => i.label) });
      const item = a === undefined ? items[0] : items.find((i) => i.label === a);
      if (!item) throw new Error(`"${String(a)}" is not among ${items.map((i) => `"${i.label}"`).join(', ')} (${options.title}: ${options.placeHolder ?? ''})`);
      return item.value;
    },
    input: async (options) => {
      const value = options.value ?? '';
      const a = ask({ kind: 'input', title: options.title, prompt: options.prompt ?? '', value, ...(options.password ? { password: true as const } : {}) });
      const text = typeof a === 'string' ? a : value;
      // The real InputBox does not accept what its validator rejects.
      const problem = await options.validateInput?.(text);
      if (problem) throw new Error(`"${text}" rejected at "${options.prompt ?? ''}": ${typeof problem === 'string' ? problem : problem.message}`);
      return text;
    },
    openFile: async (title, _filters, folder) => {
      const a = ask({ kind: 'openFile', title, folder: folder?.fsPath });
      if (typeof a !== 'string') throw new Error(`no file to answer "${title}" with`);
      return vscode.Uri.file(a);
    },
  };
}

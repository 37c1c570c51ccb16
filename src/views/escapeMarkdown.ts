/**
 * `text` with every character Markdown (and `$(icon)` syntax) gives a meaning escaped: names and
 * messages come from the server, and a tooltip must show them, not render them.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>$]/g, '\\$&');
}

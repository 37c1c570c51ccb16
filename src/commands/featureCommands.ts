import { COMMAND } from '../contributionIds';
import type { LicstatsFeature } from '../sources/licstats/licstatsMapping';
import type { ConnectionEntry } from '../views/connectionRegistry';
import type { FeatureChoice } from '../views/featureChoices';
import type { Command, CommandServices } from './command';
import { failureOf } from './connectionFailure';
import { connectionFrom, type ConnectionFilter } from './pickers';
import type { PickItem } from './prompter';
import { runSync } from './syncCommands';

const TITLE = 'Choose Feature';

/** Only License Statistics connections: the other systems license no features. */
function licstatsOnly(): ConnectionFilter {
  return {
    fits: (c) => c.entry.config.kind === 'licstats',
    none: () => 'Choose Feature is for License Statistics connections, where licenses are features (MATLAB, acfd); no connection is one.',
  };
}

/**
 * Ranks a License Statistics connection by one feature, or by all again: a pick among the
 * features the server lists now, remembered per connection, then a sync with it. The history
 * keeps every feature whatever is chosen.
 */
export class ChooseFeatureCommand implements Command {
  readonly id = COMMAND.chooseFeature;
  constructor(private readonly s: CommandServices) {}

  async execute(arg?: unknown): Promise<void> {
    const filter = licstatsOnly();
    const c = await connectionFrom(arg, this.s, TITLE, filter);
    // A node is taken as it is: a stale menu or a script may name another kind.
    if (!filter.fits(c)) {
      throw new Error(filter.none([c]));
    }
    const features = await this.featuresOf(c.entry);
    const current = this.s.features.get(c.entry.id);
    const mark = (chosen: boolean): string => (chosen ? ' (current)' : '');
    const items: PickItem<FeatureChoice | null>[] = [
      { label: 'All features', description: `every feature of every license server${mark(!current)}`, value: null },
      ...features.map((f) => ({
        label: f.name,
        description: [f.server ?? 'license server not named', f.version ? `version ${f.version}` : '', f.type ?? '', `id ${f.id}`].filter(Boolean).join(' · ') + mark(current?.id === f.id),
        value: { id: f.id, name: f.name, server: f.server },
      })),
    ];
    const picked = await this.s.prompter.pick(items, { title: `${TITLE}: ${c.entry.config.name}`, placeHolder: 'Rank users by the hours of which feature?' });
    await this.s.features.set(c.entry.id, picked ?? undefined);
    this.s.logger.info(`[feature] ${c.entry.config.name}: ranked by ${picked ? `${picked.name} (id ${picked.id}) only` : 'all features'}`);
    await runSync(this.s, [c.entry.id], picked ? `Syncing ${picked.name} only` : 'Syncing all features');
  }

  /** The features the server lists now: a choice among those remembered could name one gone. */
  private async featuresOf(entry: ConnectionEntry): Promise<readonly LicstatsFeature[]> {
    try {
      const source = await this.s.registry.open(entry);
      try {
        return source.system === 'licstats' ? await source.features() : [];
      } finally {
        await source.close();
      }
    } catch (e) {
      throw failureOf(entry, e);
    }
  }
}

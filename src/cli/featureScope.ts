import type { CallOptions, UsageScope } from '../core/licenseSource';
import { UsageError } from '../core/errors';
import type { LicstatsFeature } from '../sources/licstats/licstatsMapping';
import { describeFeatures, LicstatsSource } from '../sources/licstats/licstatsSource';
import type { OpenedSource } from './openSource';

/** The feature `--feature` named, as a sync scope and as words for the output. */
export interface FeatureScope {
  readonly scope: UsageScope;
  readonly feature: LicstatsFeature;
}

/**
 * Resolves `--feature` (an id, or a name in any case) against the features the server lists.
 * Only License Statistics has features; elsewhere the option is refused before any request. A
 * name two license servers share is refused too, naming the ids that tell them apart.
 */
export async function featureScope(source: OpenedSource, asked: string | undefined, connection: string, options?: CallOptions): Promise<FeatureScope | undefined> {
  if (asked === undefined) {
    return undefined;
  }
  if (!(source instanceof LicstatsSource)) {
    throw new UsageError(`--feature applies to License Statistics connections only: only License Statistics has features, and "${connection}" is not one.`);
  }
  const features = await source.features(options);
  const byId = features.find((f) => f.id === asked);
  const byName = byId ? [byId] : features.filter((f) => f.name.toLowerCase() === asked.toLowerCase());
  const [only] = byName;
  if (only && byName.length === 1) {
    return { scope: { feature: only.id }, feature: only };
  }
  if (byName.length > 1) {
    throw new UsageError(`--feature "${asked}" names ${byName.length} features of "${connection}": ${describeFeatures(byName)}. Give the id of one.`);
  }
  throw new UsageError(`"${connection}" has no feature "${asked}". Its features (id and name): ${describeFeatures(features)}.`);
}

/** `MATLAB (id 3 on flex-1)`, for the line saying what a ranking covers. */
export function featureWords(f: LicstatsFeature): string {
  return `${f.name} (id ${f.id}${f.server ? ` on ${f.server}` : ''})`;
}

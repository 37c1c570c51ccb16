import { PASS_KIND_LABELS, type PassKind } from './model';

/** A site as a palette command knows it: its name and, once synced, the pass kinds it offers. */
export interface SiteOffer {
  readonly name: string;
  /** Undefined until the site has been synced. */
  readonly offeredKinds: readonly PassKind[] | undefined;
}

/** Whether a site offers `kind`: undefined when that is not known before a sync. */
export function offers(site: SiteOffer, kind: PassKind): boolean | undefined {
  return site.offeredKinds?.includes(kind);
}

/** "user access passes", "professional access": a kind as a sentence names it in general. */
function kindInGeneral(kind: PassKind): string {
  return kind === 'user' ? 'user access passes' : PASS_KIND_LABELS[kind];
}

function offerText(kinds: readonly PassKind[] | undefined): string {
  if (kinds === undefined) {
    return 'is not synced yet';
  }
  if (kinds.length === 0) {
    return 'offers no pass to assign';
  }
  return `offers ${kinds.map(kindInGeneral).join(' and ')} only`;
}

/**
 * Says plainly that no site offers `kind`, and what each one offers instead, e.g.
 * `No site offers professional access: "Prod" offers user access passes only.`
 */
export function noSiteOffers(kind: PassKind, sites: readonly SiteOffer[]): string {
  const label = kindInGeneral(kind);
  if (sites.length === 0) {
    return `No site offers ${label}: there is no connection yet.`;
  }
  return `No site offers ${label}: ${sites.map((s) => `"${s.name}" ${offerText(s.offeredKinds)}`).join('; ')}.`;
}

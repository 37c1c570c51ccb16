import { userKey, type User } from './model';

/**
 * Labels the users of one connection by display name, adding `DIR\id` to every name another user
 * of the same connection also shows: two "Pedro Ahmed"s must not look like one person when the
 * admin is about to revoke one's pass. Built once per sync result; each label is then a lookup.
 */
export class UserLabels {
  private readonly shared = new Set<string>();

  constructor(users: Iterable<User>) {
    const seen = new Set<string>();
    for (const u of users) {
      const key = nameKey(u);
      if (seen.has(key)) {
        this.shared.add(key);
      }
      seen.add(key);
    }
  }

  /** True when another user of the connection shows the same name. */
  isShared(user: User): boolean {
    return this.shared.has(nameKey(user));
  }

  /** `Ann Lee`, or `Pedro Ahmed (CORP\pedro.ahmed)` when the name is not unique. */
  label(user: User): string {
    const name = shownName(user);
    return this.isShared(user) ? `${name} (${userKey(user)})` : name;
  }
}

/** The name the views show: the display name, or the user id when the system has none. */
export function shownName(user: User): string {
  return user.name || user.userId;
}

/** Names a reader cannot tell apart count as one: case, surrounding spaces, composed accents. */
function nameKey(user: User): string {
  return shownName(user).normalize('NFC').trim().toLowerCase();
}

import audits from '../../../specs/cloud/audits.json';
import consumption from '../../../specs/cloud/consumption.json';
import groups from '../../../specs/cloud/groups.json';
import licenses from '../../../specs/cloud/licenses.json';
import roles from '../../../specs/cloud/roles.json';
import users from '../../../specs/cloud/users.json';

/** The Qlik Cloud APIs the repository holds an OpenAPI file for (specs/cloud/<name>.json). */
export type CloudApiName = 'audits' | 'consumption' | 'groups' | 'licenses' | 'roles' | 'users';

/** Every API name, in a stable order. */
export const CLOUD_API_NAMES: readonly CloudApiName[] = ['audits', 'consumption', 'groups', 'licenses', 'roles', 'users'];

/**
 * specs/cloud/*.json, the Qlik Cloud contracts. Typed as unknown: the contract narrows what it
 * reads, and the files are copies of ../shared/specs/cloud that nobody edits by hand.
 */
export const cloudSpecs: Readonly<Record<CloudApiName, unknown>> = { audits, consumption, groups, licenses, roles, users };

/**
 * The API a path under /api/v1 belongs to (`/api/v1/users/me` → users), or undefined for
 * paths outside the six APIs.
 */
export function cloudApiOf(path: string): CloudApiName | undefined {
  const m = /^\/api\/v1\/([^/?]+)/.exec(path);
  const name = m?.[1];
  return CLOUD_API_NAMES.find((api) => api === name);
}

import { routeAudits } from './cloudAuditRoutes';
import { routeGroups, routeRoles, routeUsers } from './cloudIdentityRoutes';
import { routeLicenses } from './cloudLicenseRoutes';
import type { CloudCall, CloudReply, CloudRouteContext } from './cloudRouteKit';

export type { CloudCall, CloudReply, CloudRouteContext } from './cloudRouteKit';

/**
 * Routes a call to its API, or returns undefined when the simulator does not serve the method
 * and path (the caller answers 404, or 501 for operations the specs have). Throws
 * CloudSimError, ScimFilterError and CloudSimError-wrapped cursor errors for error answers.
 */
export function routeCloudCall(ctx: CloudRouteContext, call: CloudCall): CloudReply | undefined {
  switch (call.api) {
    case 'users':
      return routeUsers(ctx, call);
    case 'groups':
      return routeGroups(ctx, call);
    case 'roles':
      return routeRoles(ctx, call);
    case 'licenses':
      return routeLicenses(ctx, call);
    case 'audits':
      return routeAudits(ctx, call);
    case 'consumption':
      return undefined;
  }
}

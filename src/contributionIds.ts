/**
 * Every id the manifest (package.json) and the code share, declared once. A unit test checks
 * this file against package.json both ways, so a rename cannot leave a dead menu behind.
 */

/** Command ids. */
export const COMMAND = {
  sync: 'licenseSteward.sync',
  syncConnection: 'licenseSteward.syncConnection',
  addConnection: 'licenseSteward.addConnection',
  editConnection: 'licenseSteward.editConnection',
  removeConnection: 'licenseSteward.removeConnection',
  testConnection: 'licenseSteward.testConnection',
  openDemoSite: 'licenseSteward.openDemoSite',
  assignUserPass: 'licenseSteward.assignUserPass',
  assignProfessional: 'licenseSteward.assignProfessional',
  assignAnalyzer: 'licenseSteward.assignAnalyzer',
  revokePass: 'licenseSteward.revokePass',
  reinstatePass: 'licenseSteward.reinstatePass',
  /** Qlik Cloud: professional ↔ analyzer in place. */
  changePassKind: 'licenseSteward.changePassKind',
  /** Qlik Cloud capacity tenants: disable a user (releases a Full User). */
  disableUser: 'licenseSteward.disableUser',
  /** Qlik Cloud: revoke an assignment whose subject is no user of the tenant. */
  releaseAssignment: 'licenseSteward.releaseAssignment',
  copyUserId: 'licenseSteward.copyUserId',
  showMore: 'licenseSteward.showMore',
  showLog: 'licenseSteward.showLog',
  showUsageHistory: 'licenseSteward.showUsageHistory',
  findUser: 'licenseSteward.findUser',
  showFlatRanking: 'licenseSteward.showFlatRanking',
  groupByAction: 'licenseSteward.groupByAction',
  planChanges: 'licenseSteward.planChanges',
  applyPlan: 'licenseSteward.applyPlan',
  closePlan: 'licenseSteward.closePlan',
  /** License Statistics: rank by one feature, or all. */
  chooseFeature: 'licenseSteward.chooseFeature',
} as const;

/** Commands that only make sense on a tree node: hidden from the palette. */
export const NODE_ONLY_COMMANDS: readonly string[] = [COMMAND.showMore, COMMAND.syncConnection];

/** View container and view ids. */
export const VIEW = {
  container: 'licenseSteward',
  users: 'licenseSteward.users',
  /** The plan of a connection's policy, with a checkbox per change; shown while a plan exists. */
  plan: 'licenseSteward.plan',
} as const;

/** Webview panel view types (each needs an `onWebviewPanel:` activation event to revive). */
export const WEBVIEW = {
  history: 'licenseSteward.history',
} as const;

/** Context keys set with `setContext`. */
export const CONTEXT = {
  /** Number of configured connections (0 shows the welcome view). */
  connectionCount: 'licenseSteward:connectionCount',
  /**
   * Why every connection's last sync failed (network, tls, auth, config, server), or '' when
   * one succeeded: the failed-sync welcome view picks its advice by it.
   */
  syncError: 'licenseSteward:syncError',
  /** True while a sync runs. */
  syncing: 'licenseSteward:syncing',
  /** How the Users view lays out users: 'grouped' by action or the 'flat' ranking (picks the title toggle). */
  treeLayout: 'licenseSteward:treeLayout',
  /**
   * The Plan view's plan: '' (none: the view is hidden), 'ready' (changes can be checked and
   * applied), 'applying', or 'applied' (the outcomes are shown; plan again to go on).
   */
  planState: 'licenseSteward:planState',
} as const;

/** `contextValue` kinds of tree nodes; flags follow after `+` (see usersTreeProvider). */
export const NODE_KIND = {
  connection: 'connection',
  group: 'group',
  user: 'user',
  more: 'more',
  message: 'message',
  /** Plan view: the header (totals, forecast, notes), a line of it, a rule, a change, the skipped list and one skipped candidate. */
  planHeader: 'planHeader',
  planLine: 'planLine',
  planRule: 'planRule',
  planChange: 'planChange',
  planSkippedList: 'planSkippedList',
  planSkipped: 'planSkipped',
} as const;

/** Flags a user node's contextValue may carry, matched by menu `when` clauses. */
export const USER_FLAG = {
  heavy: 'heavy',
  nopass: 'nopass',
  holds: 'holds',
  quarantined: 'quarantined',
  deleted: 'deleted',
  offerUser: 'offer-user',
  offerProfessional: 'offer-professional',
  offerAnalyzer: 'offer-analyzer',
  /** The holder's pass can change kind in place (Qlik Cloud user-based tenants). */
  changeable: 'changeable',
  /** A Qlik Cloud capacity tenant's user: disabling them releases a Full User. */
  fulluser: 'fulluser',
  /** A Qlik Cloud assignment whose subject is no user of the tenant: release it. */
  orphaned: 'orphaned',
  /** Refused a license in the window (License Statistics). */
  denied: 'denied',
  /** On a read-only connection (License Statistics): no write command applies. */
  readonly: 'readonly',
} as const;

/** Flags a connection node's contextValue carries after `connection+configured|demo+<status>`: its system. */
export const CONNECTION_FLAG = {
  qrs: 'qrs',
  cloud: 'cloud',
  licstats: 'licstats',
} as const;

/** Settings keys under the `licenseSteward` section. */
export const SETTING = {
  section: 'licenseSteward',
  connections: 'connections',
  windowDays: 'windowDays',
  inactiveDays: 'inactiveDays',
  pageSize: 'pageSize',
  capacityBreakEvenMinutes: 'capacityBreakEvenMinutes',
  historyRetentionDays: 'historyRetentionDays',
  syncOnStartup: 'syncOnStartup',
  policies: 'policies',
} as const;

/** Keys of what the extension remembers in `globalState`: choices made in the UI, not settings. */
export const STATE_KEY = {
  /** The Users view's layout, 'grouped' or 'flat' (see CONTEXT.treeLayout). */
  treeLayout: 'licenseSteward.treeLayout',
  /** The feature each License Statistics connection is ranked by, by connection id (see FeatureChoices). */
  featureChoice: 'licenseSteward.featureChoice',
} as const;

/**
 * The QRS payloads this client reads, typed after specs/qrs-license.swagger.json and
 * specs/qrs-apps.swagger.json, and the guards that narrow `unknown` into them. Guards check what
 * the mapping relies on and tolerate what real servers do differently from the spec
 * (`privileges: null`, `stream: null`, missing optional fields).
 */
import { QrsProtocolError } from './qrsErrors';

/** A date-time as QRS writes it (ISO-8601); absent or null on some servers. */
export type QrsDate = string | null | undefined;

/** Fields every QRS entity carries. */
export interface QrsEntity {
  readonly id: string;
  readonly createdDate?: string;
  readonly modifiedDate?: string;
  readonly modifiedByUserName?: string;
  readonly schemaPath?: string;
  /** The spec says array; real servers send null unless `?privileges=true`. */
  readonly privileges?: readonly string[] | null;
}

/** `GET /about`. */
export interface About {
  readonly buildVersion: string;
  readonly buildDate?: string;
  readonly databaseProvider?: string;
  readonly nodeType?: number;
}

/** A user as embedded in other entities. */
export interface UserCondensed {
  readonly id?: string;
  readonly userId: string;
  readonly userDirectory: string;
  readonly userDirectoryConnectorName?: string;
  readonly name?: string;
  readonly privileges?: readonly string[] | null;
}

/** A user attribute; directory groups are attributes of type `Group`. */
export interface UserAttribute {
  readonly attributeType: string;
  readonly attributeValue?: string;
}

/** `GET /user/full` items. */
export interface User extends QrsEntity {
  readonly userId: string;
  readonly userDirectory: string;
  readonly name?: string;
  readonly inactive?: boolean;
  readonly removedExternally?: boolean;
  readonly blacklisted?: boolean;
  readonly attributes?: readonly UserAttribute[] | null;
}

/** Counts of one user-based pass kind. */
export interface AccessTypeOverviewDetails {
  readonly enabled?: boolean;
  readonly total?: number;
  readonly allocated?: number;
  readonly used?: number;
  readonly quarantined?: number;
  readonly excess?: number;
  readonly available?: number;
}

/** User access pass totals, in tokens. */
export interface AccessTypeOverviewUserAccess {
  readonly enabled?: boolean;
  readonly tokenCost?: number;
  readonly allocatedTokens?: number;
  readonly usedTokens?: number;
  readonly quarantinedTokens?: number;
}

/** Login access pass totals, in tokens. */
export interface AccessTypeOverviewLoginAccess {
  readonly enabled?: boolean;
  readonly tokenCost?: number;
  readonly allocatedTokens?: number;
  readonly usedTokens?: number;
  readonly unavailableTokens?: number;
}

/** Analyzer capacity totals, in minutes. */
export interface AccessTypeOverviewAnalyzerTimeAccess {
  readonly enabled?: boolean;
  readonly allocatedMinutes?: number;
  readonly usedMinutes?: number;
  readonly unavailableMinutes?: number;
}

/** `GET /license/accesstypeoverview` (experimental in the spec: every part optional). */
export interface AccessTypeOverview {
  readonly totalTokens?: number;
  readonly availableTokens?: number;
  readonly tokensEnabled?: boolean;
  readonly userAccess?: AccessTypeOverviewUserAccess;
  readonly loginAccess?: AccessTypeOverviewLoginAccess;
  readonly professionalAccess?: AccessTypeOverviewDetails;
  readonly analyzerAccess?: AccessTypeOverviewDetails;
  readonly analyzerTimeAccess?: AccessTypeOverviewAnalyzerTimeAccess;
}

/** A user access pass allocation (token model). */
export interface LicenseUserAccessType extends QrsEntity {
  /** Null or absent once the holder was deleted; then the `deleted*` fields say who it was. */
  readonly user?: UserCondensed | null;
  readonly lastUsed?: QrsDate;
  readonly quarantined?: boolean;
  readonly quarantineEnd?: QrsDate;
  readonly deletedUserId?: string | null;
  readonly deletedUserDirectory?: string | null;
}

/** A professional allocation (user-based model). */
export interface LicenseProfessionalAccessType extends LicenseUserAccessType {
  readonly excess?: boolean;
}

/** An analyzer allocation (user-based model). */
export type LicenseAnalyzerAccessType = LicenseProfessionalAccessType;

/** The allocation shapes share every field the client reads. */
export type LicenseAllocation = LicenseUserAccessType | LicenseProfessionalAccessType | LicenseAnalyzerAccessType;

/** A login access group (a pool of login passes). */
export interface LicenseLoginAccessType extends QrsEntity {
  readonly name: string;
  readonly assignedTokens?: number;
  readonly assignedAccessTypes?: number;
  readonly usedAccessTypes?: number;
  readonly remainingAccessTypes?: number;
}

/** One consumed login pass. The client reads these through `/table`, so only the row shape matters. */
export interface LicenseLoginAccessUsage extends QrsEntity {
  readonly user?: UserCondensed;
  readonly useStartTime?: QrsDate;
  readonly useStopTime?: QrsDate;
  readonly latestActivity?: QrsDate;
  readonly hostName: string;
  readonly loginAccessType?: { readonly id?: string; readonly name: string };
}

/** One stretch of analyzer capacity use. */
export interface LicenseAnalyzerTimeAccessUsage extends QrsEntity {
  readonly user?: UserCondensed;
  readonly useStartTime?: QrsDate;
  readonly useStopTime?: QrsDate;
  readonly latestActivity?: QrsDate;
  readonly hostName: string;
  readonly analyzerTimeAccessType?: { readonly id?: string; readonly name: string };
}

/**
 * An app or app object as `/app/full` and `/app/object/full` list them (specs/qrs-apps.swagger.json):
 * the parts that say who owns it and when it last changed.
 */
export interface OwnedContent extends QrsEntity {
  /** Required by the spec; tolerated absent, since a server may leave out what it will not show. */
  readonly owner?: UserCondensed | null;
  readonly name?: string;
}

/** `GET /app/full` items. */
export interface App extends OwnedContent {
  readonly published?: boolean;
}

/** `GET /app/object/full` items: a sheet, story, bookmark… inside an app. */
export interface AppObject extends OwnedContent {
  readonly objectType?: string;
}

/** A `/table` answer: one row per entity, cells in `columnNames` order. */
export interface Table {
  readonly id?: string;
  readonly columnNames: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

/** One column of a `/table` request. */
export interface TableDefinitionColumn {
  readonly name: string;
  /** The spec's enum: 1 = Property, 2 = Function, 3 = List. */
  readonly columnType: 1 | 2 | 3;
  readonly definition: string;
}

/**
 * The body of a `/table` request. Qlik's documentation names the entity `type`; the QMC's own
 * requests name it `entity`. Both are sent, so either kind of server finds it.
 */
export interface TableDefinition {
  readonly type: string;
  readonly entity: string;
  readonly columns: readonly TableDefinitionColumn[];
}

type Guard<T> = (value: unknown) => value is T;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOptional(value: unknown, type: 'string' | 'number' | 'boolean'): boolean {
  return value === undefined || value === null || typeof value === type;
}

function isPrivileges(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.every((p) => typeof p === 'string'));
}

function isEntity(value: unknown): value is Record<string, unknown> & QrsEntity {
  return isRecord(value) && typeof value['id'] === 'string' && isPrivileges(value['privileges']);
}

function isUserCondensed(value: unknown): value is UserCondensed {
  return (
    isRecord(value) &&
    typeof value['userId'] === 'string' &&
    typeof value['userDirectory'] === 'string' &&
    isOptional(value['id'], 'string') &&
    isOptional(value['name'], 'string') &&
    isPrivileges(value['privileges'])
  );
}

function isAbout(value: unknown): value is About {
  return isRecord(value) && typeof value['buildVersion'] === 'string';
}

function isDetails(value: unknown, numbers: readonly string[]): boolean {
  return value === undefined || value === null || (isRecord(value) && isOptional(value['enabled'], 'boolean') && numbers.every((n) => isOptional(value[n], 'number')));
}

/** The parts of an overview that say which license model a site runs; an overview has at least one. */
const OVERVIEW_SECTIONS = ['userAccess', 'loginAccess', 'professionalAccess', 'analyzerAccess', 'analyzerTimeAccess'];

function isAccessTypeOverview(value: unknown): value is AccessTypeOverview {
  const seats = ['total', 'allocated', 'used', 'quarantined', 'excess', 'available'];
  return (
    isRecord(value) &&
    // `{}` would read as "no model at all": every pass gone. A repository always says what it runs.
    OVERVIEW_SECTIONS.some((section) => isRecord(value[section])) &&
    isOptional(value['tokensEnabled'], 'boolean') &&
    isOptional(value['totalTokens'], 'number') &&
    isOptional(value['availableTokens'], 'number') &&
    isDetails(value['userAccess'], ['tokenCost', 'allocatedTokens', 'usedTokens', 'quarantinedTokens']) &&
    isDetails(value['loginAccess'], ['tokenCost', 'allocatedTokens', 'usedTokens', 'unavailableTokens']) &&
    isDetails(value['professionalAccess'], seats) &&
    isDetails(value['analyzerAccess'], seats) &&
    isDetails(value['analyzerTimeAccess'], ['allocatedMinutes', 'usedMinutes', 'unavailableMinutes'])
  );
}

/** Whether an allocation says who holds it: a user, or the deleted user's directory and id. */
function hasHolder(value: LicenseAllocation): boolean {
  return isUserCondensed(value.user) || (typeof value.deletedUserId === 'string' && typeof value.deletedUserDirectory === 'string');
}

/** The allocation shape, holder or not: the spec makes `user` optional. */
function isAllocationShape(value: unknown): value is LicenseAllocation {
  if (!isEntity(value)) {
    return false;
  }
  const user = value['user'];
  return (
    (user === undefined || user === null || isUserCondensed(user)) &&
    isOptional(value['lastUsed'], 'string') &&
    isOptional(value['quarantined'], 'boolean') &&
    isOptional(value['quarantineEnd'], 'string') &&
    isOptional(value['excess'], 'boolean')
  );
}

function isAllocation(value: unknown): value is LicenseAllocation {
  return isAllocationShape(value) && hasHolder(value);
}

function isLoginAccessType(value: unknown): value is LicenseLoginAccessType {
  return (
    isEntity(value) &&
    typeof value['name'] === 'string' &&
    isOptional(value['assignedTokens'], 'number') &&
    isOptional(value['assignedAccessTypes'], 'number') &&
    isOptional(value['usedAccessTypes'], 'number') &&
    isOptional(value['remainingAccessTypes'], 'number')
  );
}

function isAttribute(value: unknown): value is UserAttribute {
  return isRecord(value) && typeof value['attributeType'] === 'string' && isOptional(value['attributeValue'], 'string');
}

function isUser(value: unknown): value is User {
  const attributes = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)['attributes'] : undefined;
  return (
    isEntity(value) &&
    typeof value['userId'] === 'string' &&
    typeof value['userDirectory'] === 'string' &&
    isOptional(value['name'], 'string') &&
    isOptional(value['inactive'], 'boolean') &&
    isOptional(value['removedExternally'], 'boolean') &&
    isOptional(value['blacklisted'], 'boolean') &&
    (attributes === undefined || attributes === null || (Array.isArray(attributes) && attributes.every(isAttribute)))
  );
}

function isOwnedContent(value: unknown): value is Record<string, unknown> & OwnedContent {
  if (!isEntity(value)) {
    return false;
  }
  const owner = value['owner'];
  return (
    (owner === undefined || owner === null || isUserCondensed(owner)) &&
    isOptional(value['name'], 'string') &&
    isOptional(value['createdDate'], 'string') &&
    isOptional(value['modifiedDate'], 'string')
  );
}

function isApp(value: unknown): value is App {
  return isOwnedContent(value) && isOptional(value['published'], 'boolean');
}

function isAppObject(value: unknown): value is AppObject {
  return isOwnedContent(value) && isOptional(value['objectType'], 'string');
}

function isTable(value: unknown): value is Table {
  return (
    isRecord(value) &&
    Array.isArray(value['columnNames']) &&
    value['columnNames'].every((name) => typeof name === 'string') &&
    Array.isArray(value['rows']) &&
    value['rows'].every((row) => Array.isArray(row))
  );
}

function narrow<T>(value: unknown, guard: Guard<T>, request: string, expected: string): T {
  if (!guard(value)) {
    throw new QrsProtocolError(request, expected);
  }
  return value;
}

function narrowList<T>(value: unknown, guard: Guard<T>, request: string, expected: string): readonly T[] {
  if (!Array.isArray(value)) {
    throw new QrsProtocolError(request, `a list of ${expected}`);
  }
  const items: T[] = [];
  for (const [index, item] of value.entries()) {
    if (!guard(item)) {
      throw new QrsProtocolError(request, `a list of ${expected}`, `item ${index} does not fit`);
    }
    items.push(item);
  }
  return items;
}

/** Narrows a `GET /about` answer. */
export function asAbout(value: unknown, request: string): About {
  return narrow(value, isAbout, request, 'an About');
}

/** Narrows a `GET /license/accesstypeoverview` answer. */
export function asAccessTypeOverview(value: unknown, request: string): AccessTypeOverview {
  return narrow(value, isAccessTypeOverview, request, 'an AccessTypeOverview');
}

/** Narrows one user, professional or analyzer allocation. */
export function asAllocation(value: unknown, request: string): LicenseAllocation {
  return narrow(value, isAllocation, request, 'a license allocation');
}

/**
 * Narrows a `.../full` list of allocations. An item of the right shape that names no holder is
 * valid by the spec but cannot be ranked or acted on: it is counted in `withoutHolder`, not fatal.
 */
export function asAllocationList(value: unknown, request: string): { readonly items: readonly LicenseAllocation[]; readonly withoutHolder: number } {
  const shaped = narrowList(value, isAllocationShape, request, 'license allocations');
  const items = shaped.filter(hasHolder);
  return { items, withoutHolder: shaped.length - items.length };
}

/** Narrows a `GET /license/loginaccesstype/full` answer (login access groups). */
export function asLoginAccessTypeList(value: unknown, request: string): readonly LicenseLoginAccessType[] {
  return narrowList(value, isLoginAccessType, request, 'login access groups');
}

/** Narrows a `GET /user/full` answer. */
export function asUserList(value: unknown, request: string): readonly User[] {
  return narrowList(value, isUser, request, 'users');
}

/** Narrows a `GET /app/full` answer. */
export function asAppList(value: unknown, request: string): readonly App[] {
  return narrowList(value, isApp, request, 'apps');
}

/** Narrows a `GET /app/object/full` answer. */
export function asAppObjectList(value: unknown, request: string): readonly AppObject[] {
  return narrowList(value, isAppObject, request, 'app objects');
}

/** Narrows a `POST .../table` answer. */
export function asTable(value: unknown, request: string): Table {
  return narrow(value, isTable, request, 'a Table');
}

/** Narrows a `/count` answer: the spec says a bare integer, QRS itself sends `{ "value": n }`. */
export function asCount(value: unknown, request: string): number {
  if (typeof value === 'number' && Number.isInteger(value)) {
    return value;
  }
  if (isRecord(value) && typeof value['value'] === 'number' && Number.isInteger(value['value'])) {
    return value['value'];
  }
  throw new QrsProtocolError(request, 'a count');
}

/** Narrows a `previewcreateprivilege` answer. */
export function asBoolean(value: unknown, request: string): boolean {
  if (typeof value === 'boolean') {
    return value;
  }
  // A text/plain answer arrives unparsed.
  if (value === 'true' || value === 'false') {
    return value === 'true';
  }
  throw new QrsProtocolError(request, 'true or false');
}

/**
 * The webview's side of message validation: it treats what arrives on `message` as untrusted
 * (any frame or extension bug could post there) and renders only what passes these checks.
 * No vscode and no DOM imports, so the host's unit tests cover it too.
 */
import {
  HISTORY_MEASURES,
  HISTORY_RANGES,
  parsePanelState,
  type ChartEvent,
  type DailyValues,
  type HistoryRange,
  type HostMessage,
  type SiteHistory,
  type UserHistory,
} from './historyMessages';

type Obj = Record<string, unknown>;

const EVENT_KINDS: readonly ChartEvent['kind'][] = ['assigned', 'revoked', 'quarantined', 'reinstated', 'deleted'];

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isRange(v: unknown): v is HistoryRange {
  return typeof v === 'string' && (HISTORY_RANGES as readonly string[]).includes(v);
}

/** Every element passes `ok`; a non-array is not a valid list. */
function isListOf<T>(v: unknown, ok: (e: unknown) => e is T): v is readonly T[] {
  return Array.isArray(v) && v.every(ok);
}

function isDaily(v: unknown): v is DailyValues {
  return isObj(v) && isNum(v['day']) && isNum(v['loginPasses']) && isNum(v['tokens']) && isNum(v['capacityMinutes']) && isNum(v['hours']);
}

function isEvent(v: unknown): v is ChartEvent {
  return (
    isObj(v) &&
    isNum(v['day']) &&
    typeof v['kind'] === 'string' &&
    (EVENT_KINDS as readonly string[]).includes(v['kind']) &&
    typeof v['user'] === 'string' &&
    typeof v['source'] === 'string'
  );
}

function isTopSeries(v: unknown): v is SiteHistory['top'][number] {
  return isObj(v) && typeof v['key'] === 'string' && typeof v['name'] === 'string' && isListOf(v['values'], isNum);
}

function isPoolPoint(v: unknown): v is SiteHistory['pool'][number] {
  return isObj(v) && isNum(v['day']) && isNum(v['used']) && isNum(v['available']);
}

function isUserHistory(d: Obj): d is Obj & UserHistory {
  const user = d['user'];
  return (
    d['target'] === 'user' &&
    isObj(user) &&
    typeof user['key'] === 'string' &&
    typeof user['name'] === 'string' &&
    isListOf(d['days'], isDaily) &&
    isListOf(d['leadIn'], isDaily) &&
    isNum(d['breakEvenPasses'])
  );
}

function isSiteHistory(d: Obj): d is Obj & SiteHistory {
  const topDays = d['topDays'];
  return (
    d['target'] === 'site' &&
    isListOf(d['totals'], isDaily) &&
    isListOf(topDays, isNum) &&
    isListOf(d['top'], isTopSeries) &&
    // A ragged series would draw against the wrong days.
    (d['top'] as readonly SiteHistory['top'][number][]).every((t) => t.values.length === topDays.length) &&
    isListOf(d['pool'], isPoolPoint)
  );
}

function parseHistory(d: unknown): UserHistory | SiteHistory | undefined {
  if (
    !isObj(d) ||
    typeof d['connection'] !== 'string' ||
    !isRange(d['range']) ||
    !(HISTORY_MEASURES as readonly string[]).includes(String(d['measure'])) ||
    !isListOf(d['events'], isEvent) ||
    (d['historyStart'] !== undefined && !isNum(d['historyStart']))
  ) {
    return undefined;
  }
  if (isUserHistory(d) || isSiteHistory(d)) {
    return d;
  }
  return undefined;
}

/** Narrows an untrusted message from the host; anything malformed is undefined. */
export function parseHostMessage(m: unknown): HostMessage | undefined {
  if (!isObj(m)) {
    return undefined;
  }
  switch (m['type']) {
    case 'init': {
      const state = parsePanelState(m['state']);
      return state ? { type: 'init', state } : undefined;
    }
    case 'history': {
      const data = parseHistory(m['data']);
      return data ? { type: 'history', data } : undefined;
    }
    case 'loading':
      return isRange(m['range']) ? { type: 'loading', range: m['range'] } : undefined;
    case 'error':
      return typeof m['message'] === 'string' ? { type: 'error', message: m['message'] } : undefined;
    case 'exported':
      return typeof m['path'] === 'string' ? { type: 'exported', path: m['path'] } : undefined;
    default:
      return undefined;
  }
}

/**
 * The raw baseline of bench/scale: the simulated site's login-pass pages fetched the way the
 * client asks for them, through undici and JSON.parse and nothing else. Kept apart from the
 * client's code so the raw script loads none of it.
 */
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';

/** Wide enough that every generated record (the simulator's last 60 days) is in the window. */
export const WINDOW_DAYS = 90;
/** Rows per page, the client's default. */
export const PAGE = 20_000;

/** The simulated site as a client reaches it. */
export interface SimConnection {
  readonly url: string;
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

const DAY_MS = 86_400_000;

/** The `/table` filter the client sends for the window ending at `now`. */
function filterFor(now: number): string {
  const from = new Date(now - WINDOW_DAYS * DAY_MS).toISOString();
  const to = new Date(now).toISOString();
  return `useStartTime ge '${from}' and useStartTime lt '${to}'`;
}

/**
 * Every page of the window's login-pass rows, as the client asks for them (same columns, same
 * sort), through undici and JSON.parse and nothing else, each handed to `onPage`.
 * @returns the bytes of JSON read
 */
export async function rawPages(conn: SimConnection, now: number, onPage: (rows: readonly (readonly unknown[])[], columns: readonly string[]) => void): Promise<number> {
  const dispatcher = new Agent({ connect: { ca: conn.ca, cert: conn.cert, key: conn.key } });
  const columns = ['id', 'user.id', 'user.userId', 'user.userDirectory', 'user.name', 'useStartTime', 'loginAccessType.name'];
  const body = JSON.stringify({ type: 'License.LoginAccessUsage', entity: 'License.LoginAccessUsage', columns: columns.map((c) => ({ name: c, columnType: 1, definition: c })) });
  let payloadBytes = 0;
  try {
    for (let skip = 0; ; skip += PAGE) {
      const xrf = randomBytes(12).toString('base64url').replace(/[-_]/g, 'a').slice(0, 16);
      const qs = new URLSearchParams({ xrfkey: xrf, filter: filterFor(now), skip: String(skip), take: String(PAGE), sortcolumn: 'id', orderascending: 'true' });
      const res = await request(`${conn.url}/qrs/license/loginaccessusage/table?${qs}`, {
        method: 'POST',
        dispatcher,
        headers: { 'content-type': 'application/json', 'x-qlik-xrfkey': xrf, 'x-qlik-user': 'UserDirectory=INTERNAL; UserId=sa_api' },
        body,
      });
      const text = await res.body.text();
      payloadBytes += Buffer.byteLength(text);
      const page = JSON.parse(text) as { columnNames: string[]; rows: unknown[][] };
      onPage(page.rows, page.columnNames);
      if (page.rows.length < PAGE) {
        return payloadBytes;
      }
    }
  } finally {
    await dispatcher.close();
  }
}


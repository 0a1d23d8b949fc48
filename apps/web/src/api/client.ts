import type { components } from './schema';

/** Schemas of the maintenance-api's OpenAPI document (generated types). */
export type Schemas = components['schemas'];
export type MaintenanceSummary = Schemas['MaintenanceSummary'];
export type MaintenanceDetail = Schemas['MaintenanceDetail'];
export type Impact = MaintenanceSummary['circuits'][number]['impact'];

const TOKEN_KEY = 'maintwatch.token';

/** The signed-in token: kept for this tab only (sessionStorage), sent as a header, never in a URL. */
export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** An error answer of the API, with its message. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Calls /api/v1 with the session's token. JSON in and out unless `csv` is given. */
export async function api<T>(method: string, path: string, options: { body?: unknown; csv?: string; token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = options.token ?? session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.csv !== undefined) {
    headers['content-type'] = 'text/csv';
    body = options.csv;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(`/api/v1${path}`, { method, headers, body });
  const text = await res.text();
  const parsed: unknown = text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
  if (!res.ok) {
    const e = parsed as Partial<Schemas['Error']> | string;
    const msg = typeof e === 'object' && e?.message ? e.message : `HTTP ${res.status}`;
    const fields = typeof e === 'object' && e?.errors ? ': ' + e.errors.map((x) => `${x.field} ${x.message}`).join('; ') : '';
    throw new ApiError(res.status, msg + fields);
  }
  return parsed as T;
}

/** Downloads a binary answer (the raw .eml) with the header token and hands it to the browser. */
export async function download(path: string, filename: string): Promise<void> {
  const res = await fetch(`/api/v1${path}`, { headers: { authorization: `Bearer ${session.token() ?? ''}` } });
  if (!res.ok) throw new ApiError(res.status, `download failed: HTTP ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Query string of the defined values. */
export function qs(params: Record<string, string | number | boolean | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

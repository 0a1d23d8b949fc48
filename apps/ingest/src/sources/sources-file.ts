// The sources file: which mailboxes ingest reads. YAML or JSON (JSON is YAML), validated once at
// start. Secrets never sit in the file: it names the environment variable (or the file) that
// holds each one, e.g. `passwordEnv: IMAP_NOC_PASSWORD`, and they are read when a source connects.
import { readFileSync } from 'node:fs';
import { load as loadYaml } from 'js-yaml';
import { z } from 'zod';

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');
const filePath = z.string().min(1);
const sourceName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "." or "-" (max 64)');

/** A secret is named by the variable that holds it (`<x>Env`, `<x>Env_FILE` works too) or by a file (`<x>File`). */
const secretFields = <K extends string>(key: K) =>
  ({ [`${key}Env`]: envName.optional(), [`${key}File`]: filePath.optional() }) as Record<`${K}Env` | `${K}File`, z.ZodOptional<z.ZodString>>;

/** Sender filter entries: an address (`noc@zayo.com`), a domain (`zayo.com`, `@zayo.com`). */
const senderFilter = z.array(z.string().trim().toLowerCase().min(1)).min(1).optional();

const common = {
  name: sourceName,
  /** Header to take the sender from (mailing lists: X-Original-Sender). */
  senderHeader: z.string().regex(/^[A-Za-z0-9-]+$/, 'a header name').optional(),
  /** Provider type passed to the parser as a hint. */
  providerHint: z.string().regex(/^[a-z0-9-]{1,64}$/, 'a provider type (lower-case letters, digits, "-")').optional(),
  senderFilter,
  /** How far back the first start (and a re-sync) reads, in days. */
  lookbackDays: z.number().positive().max(3650).optional(),
  /** Seconds between two checks when the server cannot push (and as a safety net when it can). */
  pollIntervalSeconds: z.number().min(0.2).max(86_400).optional(),
};

const imapSource = z
  .strictObject({
    ...common,
    type: z.literal('imap'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65_535).optional(),
    /** tls: implicit TLS (993); starttls: upgrade required (143); none: plaintext (logged as a warning). */
    security: z.enum(['tls', 'starttls', 'none']).default('tls'),
    tls: z
      .strictObject({
        /** PEM file of a CA to trust besides the public ones (a private or self-signed CA). */
        caFile: filePath.optional(),
        /** Skip certificate verification: logged loudly; for a lab only. */
        insecureSkipVerify: z.boolean().default(false),
        /** Name to verify the certificate against (when `host` is an IP address). */
        servername: z.string().optional(),
      })
      .default({ insecureSkipVerify: false }),
    user: z.string().min(1),
    ...secretFields('password'),
    /** An OAuth2 access token for XOAUTH2 (re-read at each connect, so a refreshed file is picked up). */
    ...secretFields('accessToken'),
    mailbox: z.string().min(1).default('INBOX'),
    /** Use IDLE when the server offers it (else poll every pollIntervalSeconds). */
    idle: z.boolean().default(true),
    /** What to do with a mail once it is published: nothing, add a flag, or move it to a folder. */
    afterPublish: z
      .discriminatedUnion('action', [
        z.strictObject({ action: z.literal('none') }),
        z.strictObject({ action: z.literal('flag'), flag: z.string().regex(/^\\?[^\s()\]{%*"\\]+$/, 'an IMAP flag or keyword').default('$Maintwatch') }),
        z.strictObject({ action: z.literal('move'), folder: z.string().min(1) }),
      ])
      .default({ action: 'none' }),
  })
  .superRefine((s, ctx) => {
    const password = s.passwordEnv !== undefined || s.passwordFile !== undefined;
    const token = s.accessTokenEnv !== undefined || s.accessTokenFile !== undefined;
    if (password === token) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of passwordEnv / passwordFile (LOGIN) or accessTokenEnv / accessTokenFile (XOAUTH2)', path: ['passwordEnv'] });
    }
    if ((s.passwordEnv && s.passwordFile) || (s.accessTokenEnv && s.accessTokenFile)) {
      ctx.addIssue({ code: 'custom', message: 'give the secret once: either the ...Env or the ...File field', path: ['passwordEnv'] });
    }
  });

const gmailSource = z
  .strictObject({
    ...common,
    type: z.literal('gmail'),
    /** A service account with domain-wide delegation, impersonating the mailbox's user. */
    serviceAccount: z
      .strictObject({ ...secretFields('credentials'), impersonate: z.email() })
      .refine((s) => (s.credentialsEnv === undefined) !== (s.credentialsFile === undefined), {
        message: 'give exactly one of credentialsEnv (the key JSON) or credentialsFile (the key file)',
      })
      .optional(),
    /** An OAuth client with a refresh token of the mailbox's user. */
    oauthClient: z
      .strictObject({ clientId: z.string().min(1), ...secretFields('clientSecret'), ...secretFields('refreshToken') })
      .refine((s) => (s.clientSecretEnv === undefined) !== (s.clientSecretFile === undefined), { message: 'give exactly one of clientSecretEnv or clientSecretFile' })
      .refine((s) => (s.refreshTokenEnv === undefined) !== (s.refreshTokenFile === undefined), { message: 'give exactly one of refreshTokenEnv or refreshTokenFile' })
      .optional(),
    /** API root (tests point it at a local fake). */
    rootUrl: z.url().default('https://gmail.googleapis.com/'),
    /** OAuth token endpoint; default: the key file's token_uri, else Google's. */
    tokenUrl: z.url().optional(),
    /** Only mail with all of these labels (default: the inbox). */
    labelIds: z.array(z.string().min(1)).default(['INBOX']),
    /** Label (by name) added to a mail once it is published; created when missing. */
    addLabel: z.string().min(1).optional(),
  })
  .superRefine((s, ctx) => {
    if ((s.serviceAccount === undefined) === (s.oauthClient === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of serviceAccount or oauthClient', path: ['serviceAccount'] });
    }
  });

const defaults = z
  .strictObject({
    lookbackDays: z.number().positive().max(3650).default(7),
    /** Reconnect backoff after a failure: doubles from minMs up to maxMs, with jitter. */
    reconnect: z
      .strictObject({ minMs: z.number().int().min(10).default(1000), maxMs: z.number().int().min(10).default(60_000) })
      .default({ minMs: 1000, maxMs: 60_000 }),
  })
  .default({ lookbackDays: 7, reconnect: { minMs: 1000, maxMs: 60_000 } });

const sourcesFileSchema = z
  .strictObject({
    defaults,
    sources: z.array(z.discriminatedUnion('type', [imapSource, gmailSource])).default([]),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.sources.forEach((s, i) => {
      if (seen.has(s.name)) ctx.addIssue({ code: 'custom', message: `duplicate source name "${s.name}"`, path: ['sources', i, 'name'] });
      seen.add(s.name);
    });
  });

/** The sources file, validated, with defaults applied. */
export type SourcesFile = z.output<typeof sourcesFileSchema>;
/** One IMAP source. */
export type ImapSourceConfig = z.output<typeof imapSource>;
/** One Gmail API source. */
export type GmailSourceConfig = z.output<typeof gmailSource>;
/** One configured source. */
export type SourceConfig = SourcesFile['sources'][number];
/** The service-wide defaults. */
export type SourceDefaults = SourcesFile['defaults'];

/** One reason the sources file was refused. */
export interface SourcesFileProblem {
  path: (string | number)[];
  message: string;
}

// Keys that would put a secret into the file itself; refused with a hint instead of "unrecognized key".
const INLINE_SECRETS = new Set(['password', 'accessToken', 'clientSecret', 'refreshToken', 'credentials', 'privateKey', 'private_key']);

/** Reads and validates the sources file; never throws. */
export function loadSourcesFile(path: string): { ok: true; file: SourcesFile } | { ok: false; problems: SourcesFileProblem[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { ok: false, problems: [{ path: [], message: `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` }] };
  }
  return parseSourcesFile(text);
}

/** Validates the text of a sources file (YAML or JSON). */
export function parseSourcesFile(text: string): { ok: true; file: SourcesFile } | { ok: false; problems: SourcesFileProblem[] } {
  let raw: unknown;
  try {
    raw = loadYaml(text) ?? {};
  } catch (err) {
    return { ok: false, problems: [{ path: [], message: `is not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}` }] };
  }
  const inline = findInlineSecrets(raw, []);
  if (inline.length > 0) return { ok: false, problems: inline };
  const result = sourcesFileSchema.safeParse(raw);
  if (result.success) return { ok: true, file: result.data };
  return { ok: false, problems: result.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message })) };
}

function findInlineSecrets(value: unknown, path: (string | number)[]): SourcesFileProblem[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => findInlineSecrets(v, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    INLINE_SECRETS.has(k)
      ? [{ path: [...path, k], message: `secrets do not go in the sources file: name the variable (${k}Env) or a file (${k}File) instead` }]
      : findInlineSecrets(v, [...path, k]),
  );
}

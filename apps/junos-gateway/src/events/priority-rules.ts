import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { z } from 'zod';

/** 1 = store + chat with detail, 2 = store + chat summary, 3 = store only, 4 = drop (counted). */
export type Priority = 1 | 2 | 3 | 4;

const priority = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)], { error: 'must be 1, 2, 3 or 4' });
const Rule = z
  .strictObject({
    /** An event id, exactly (case-sensitive, as Junos spells them). */
    event: z.string().min(1).optional(),
    /** Event ids starting with this. */
    prefix: z.string().min(1).optional(),
    /** Event ids matching this regular expression (JavaScript syntax). */
    regex: z
      .string()
      .min(1)
      .refine((s) => {
        try {
          new RegExp(s);
          return true;
        } catch {
          return false;
        }
      }, 'is not a valid regular expression')
      .optional(),
    priority,
  })
  .refine((r) => [r.event, r.prefix, r.regex].filter((x) => x !== undefined).length === 1, 'give exactly one of event, prefix or regex');
/** The priorities file (YAML or JSON). */
export const PriorityFile = z.strictObject({
  /** Priority of an event no rule names (the seed treated unknown events as 3). */
  default: priority.default(3),
  rules: z.array(Rule).default([]),
});

/** Noisy events the seed suggests not alerting on: dropped unless a rule says otherwise. */
export const BUILT_IN_DROPS = ['UTMD_EWF_CAT_OBSOLETE', 'RPD_RT_HWM_NOTICE'] as const;

/** Compiled rules: exact ids first, then prefixes (longest first), then regexes in file order. */
export class PriorityRules {
  private readonly exact = new Map<string, Priority>();
  private readonly prefixes: { prefix: string; priority: Priority }[];
  private readonly regexes: { regex: RegExp; priority: Priority }[];

  constructor(
    file: z.output<typeof PriorityFile>,
    /** Where the rules came from (a path, or "built-in"). */
    readonly source: string,
  ) {
    for (const id of BUILT_IN_DROPS) this.exact.set(id, 4);
    for (const r of file.rules) if (r.event !== undefined) this.exact.set(r.event, r.priority);
    this.prefixes = file.rules
      .filter((r) => r.prefix !== undefined)
      .map((r) => ({ prefix: r.prefix as string, priority: r.priority }))
      .sort((a, b) => b.prefix.length - a.prefix.length);
    this.regexes = file.rules.filter((r) => r.regex !== undefined).map((r) => ({ regex: new RegExp(r.regex as string), priority: r.priority }));
    this.defaultPriority = file.default;
  }

  /** The priority of an event no rule names. */
  readonly defaultPriority: Priority;

  /** The priority of a Junos event id. */
  classify(eventId: string): Priority {
    const exact = this.exact.get(eventId);
    if (exact !== undefined) return exact;
    for (const p of this.prefixes) if (eventId.startsWith(p.prefix)) return p.priority;
    for (const r of this.regexes) if (r.regex.test(eventId)) return r.priority;
    return this.defaultPriority;
  }

  /** The built-in rules (no file configured). */
  static builtIn(): PriorityRules {
    return new PriorityRules(PriorityFile.parse({}), 'built-in');
  }
}

/** A priorities file that cannot be used, with every reason. */
export class PriorityFileError extends Error {
  override readonly name = 'PriorityFileError';

  constructor(
    readonly path: string,
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${problems.join('; ')}`, options);
  }
}

/** Reads and validates a priorities file; throws PriorityFileError listing every problem. */
export function loadPriorityFile(path: string): PriorityRules {
  let doc: unknown;
  try {
    doc = yaml.load(readFileSync(path, 'utf8'), { filename: path });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { reason?: string };
    throw new PriorityFileError(path, [e.code ? `cannot be read (${e.code})` : `is not valid YAML/JSON: ${e.reason ?? e.message}`], { cause: err });
  }
  const parsed = PriorityFile.safeParse(doc ?? {});
  if (!parsed.success) {
    throw new PriorityFileError(
      path,
      parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(file)'}: ${i.message}`),
    );
  }
  return new PriorityRules(parsed.data, path);
}

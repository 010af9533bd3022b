import { readFileSync } from "node:fs";
import { extname } from "node:path";
import YAML from "yaml";
import { z } from "zod";
import { TRANSFER_MODES } from "../../shared/domain";
import { SNIFFABLE_TYPES } from "./media";
import { normaliseForMatch } from "./text";

const Count = z.number().int().nonnegative();
const PositiveInt = z.number().int().positive();

/** A term that still says something after normalisation (so "!!!" or " " cannot ban everything). */
const Term = z
  .string()
  .min(1)
  .refine((t) => normaliseForMatch(t).length > 0, "is empty once spaces, punctuation and symbols are removed");

const IssuanceCap = z.strictObject({ collections: Count, editions: Count });

/**
 * The compliance policy file (policy/default.yaml documents every field). Versioned: the version is
 * stamped on every decision, so a decision can be re-read against the policy that made it.
 */
export const PolicySchema = z
  .strictObject({
    version: z.string().min(1),
    bannedTerms: z.array(Term),
    media: z.strictObject({
      allowedTypes: z.array(z.enum(SNIFFABLE_TYPES)).min(1),
      maxBytes: PositiveInt,
    }),
    evidence: z.strictObject({
      maxBytes: PositiveInt,
      /** How many works one piece of copyright evidence may back (a certificate names one work). */
      maxWorksPerEvidence: PositiveInt.default(1),
    }),
    editions: z.strictObject({ maxPerCollection: PositiveInt.max(16_777_215) }),
    transfer: z.strictObject({
      minHoldingPeriodDays: Count.max(36_500),
      allowedModes: z.array(z.enum(TRANSFER_MODES)).min(1),
      minRecipientLevel: z.number().int().min(1).max(4),
    }),
    quotas: z.strictObject({
      perIssuerDaily: IssuanceCap,
      perIssuerTotal: IssuanceCap,
      /** Offset of the clock that defines a "day" for daily quotas; 480 = China Standard Time (UTC+8). */
      utcOffsetMinutes: z.number().int().min(-720).max(840).default(480),
    }),
    forbiddenMetadataKeys: z.array(Term),
  })
  .superRefine((p, ctx) => {
    for (const k of ["collections", "editions"] as const) {
      if (p.quotas.perIssuerDaily[k] > p.quotas.perIssuerTotal[k]) {
        ctx.addIssue({
          code: "custom",
          path: ["quotas", "perIssuerDaily", k],
          message: `is above quotas.perIssuerTotal.${k} (${p.quotas.perIssuerTotal[k]})`,
        });
      }
    }
  });

export type Policy = z.infer<typeof PolicySchema>;

/** A policy file that cannot be used; `issues` names each bad field. */
export class PolicyError extends Error {
  override name = "PolicyError";
  constructor(
    message: string,
    readonly file: string,
    readonly issues: Array<{ path: string; message: string }> = [],
  ) {
    super(message);
  }
}

/** Validates an already-parsed policy object; `source` names it in errors. */
export function parsePolicy(raw: unknown, source = "policy"): Policy {
  const parsed = PolicySchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const pathOf = (path: readonly PropertyKey[]) => (path.length ? path.map(String).join(".") : "(root)");
  const issues = parsed.error.issues.flatMap((i) =>
    // An unknown key is named as a field of its own ("media.maxSize: unknown field"), not as its parent.
    i.code === "unrecognized_keys"
      ? i.keys.map((k) => ({ path: pathOf([...i.path, k]), message: "unknown field" }))
      : [{ path: pathOf(i.path), message: i.message }],
  );
  throw new PolicyError(
    `invalid compliance policy ${source}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
    source,
    issues,
  );
}

/**
 * Reads and validates a policy file: `.yaml`/`.yml` as YAML, `.json` as JSON.
 * Throws a {@link PolicyError} naming the file and every bad field.
 *
 * @example
 * const policy = loadPolicy("policy/default.yaml");
 */
export function loadPolicy(file: string): Policy {
  const ext = extname(file).toLowerCase();
  if (![".yaml", ".yml", ".json"].includes(ext)) {
    throw new PolicyError(`compliance policy ${file}: unsupported extension "${ext}" (use .yaml, .yml or .json)`, file);
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new PolicyError(`cannot read the compliance policy ${file}: ${(e as Error).message}`, file);
  }
  let raw: unknown;
  try {
    raw = ext === ".json" ? JSON.parse(text) : YAML.parse(text);
  } catch (e) {
    throw new PolicyError(
      `compliance policy ${file} is not valid ${ext === ".json" ? "JSON" : "YAML"}: ${(e as Error).message}`,
      file,
    );
  }
  return parsePolicy(raw, file);
}

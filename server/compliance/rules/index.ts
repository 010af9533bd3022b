import type { Rule } from "../types";
import { issuerAdmission } from "./issuer-admission";
import { recipientAdmission } from "./recipient-admission";
import { contentReview } from "./content-review";
import { privacy } from "./privacy";
import { rights } from "./rights";
import { antiFinancialization } from "./anti-financialization";
import { sandboxQuotas } from "./sandbox-quotas";

export { issuerAdmission, recipientAdmission, contentReview, privacy, rights, antiFinancialization, sandboxQuotas };

/** Every rule, in the order results are reported. */
export const ALL_RULES: readonly Rule[] = Object.freeze([
  issuerAdmission,
  recipientAdmission,
  contentReview,
  privacy,
  rights,
  antiFinancialization,
  sandboxQuotas,
]);

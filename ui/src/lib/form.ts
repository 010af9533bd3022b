import type { Rule } from "antd/es/form";
import type { z } from "zod";

/**
 * An antd Form rule from a shared zod schema: the console accepts exactly what the gateway accepts. The
 * message is the console's, in the current language; empty values are left to `required`.
 */
export function zodRule(schema: z.ZodType, message: string): Rule {
  return {
    validator: async (_rule, value: unknown) => {
      if (value === undefined || value === null || value === "") return;
      if (!schema.safeParse(value).success) throw new Error(message);
    },
  };
}

import { z } from "zod";
import { ApiError, type FieldErrors } from "@/lib/errors";

/** Parses input with a zod schema; failures become DRF's `{"field": ["message"]}` 400. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw ApiError.validation(toFieldErrors(result.error));
}

export function toFieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : "non_field_errors";
    (fields[field] ??= []).push(issue.message);
  }
  return fields;
}

// --- DRF's wording, so old clients that show these messages keep showing the same text ---

const REQUIRED = "This field is required.";
const NOT_NULL = "This field may not be null.";
const BLANK = "This field may not be blank.";
const NUL = "Null characters are not allowed.";

/** Length in characters (code points), as Postgres's varchar counts: 100 emoji fit in 100. */
export const charLength = (value: string) => [...value].length;

/**
 * A DRF CharField: must be a string (not null), trimmed, no NUL byte (Postgres text cannot
 * hold one), not blank unless allowed, at most `max` characters.
 */
export function charField(options: { max: number; allowBlank?: boolean; trim?: boolean }) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (value === undefined) ctx.addIssue({ code: "custom", message: REQUIRED });
      else if (value === null) ctx.addIssue({ code: "custom", message: NOT_NULL });
      else if (typeof value !== "string") ctx.addIssue({ code: "custom", message: "Not a valid string." });
    })
    .transform((value) => {
      const text = value as string;
      return options.trim === false ? text : text.trim();
    })
    .superRefine((text, ctx) => {
      if (text.includes("\u0000")) ctx.addIssue({ code: "custom", message: NUL });
      else if (!options.allowBlank && text.trim() === "") ctx.addIssue({ code: "custom", message: BLANK });
      else if (charLength(text) > options.max)
        ctx.addIssue({ code: "custom", message: `Ensure this field has no more than ${options.max} characters.` });
    });
}

/** A query parameter that must be an integer in [min, max] when present. */
export function intParam(options: { min: number; max: number }) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      if (!/^-?\d{1,16}$/.test(value.trim())) {
        ctx.addIssue({ code: "custom", message: "A valid integer is required." });
        return z.NEVER;
      }
      const n = Number(value);
      if (n < options.min) {
        ctx.addIssue({ code: "custom", message: `Ensure this value is greater than or equal to ${options.min}.` });
        return z.NEVER;
      }
      if (n > options.max) {
        ctx.addIssue({ code: "custom", message: `Ensure this value is less than or equal to ${options.max}.` });
        return z.NEVER;
      }
      return n;
    });
}

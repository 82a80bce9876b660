import { z } from "zod";
import { ZStorableText } from "../storable/storable-text";

// Request and response shapes of the control-plane API (docs/API.md). `.strict()` makes an
// unknown field a 422 rather than something silently ignored.

export const ZEmail = ZStorableText.trim()
  .toLowerCase()
  .max(254, "Email is too long")
  .pipe(z.email("Enter a valid email address"));

export const ZPassword = z
  .string()
  .min(10, "Password must be at least 10 characters")
  .max(256, "Password must be at most 256 characters");

export const ZSignupInput = z
  .object({
    email: ZEmail,
    password: ZPassword,
    organizationName: ZStorableText.trim().min(1).max(100).optional(),
  })
  .strict();
export type TSignupInput = z.infer<typeof ZSignupInput>;

export const ZLoginInput = z
  .object({
    email: ZEmail,
    password: z.string().min(1, "Enter your password").max(256),
  })
  .strict();
export type TLoginInput = z.infer<typeof ZLoginInput>;

export const ZMe = z.object({
  user: z.object({ id: z.string(), email: z.string() }),
  organization: z.object({ id: z.string(), name: z.string() }),
  role: z.enum(["owner", "admin", "member"]),
});
export type TMe = z.infer<typeof ZMe>;

import { AppError, ZCreateApiKeyInput, ZSignupInput } from "@lunar/shared";
import { describe, expect, it } from "vitest";
import { validate } from "./validate";

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
  }
  throw new Error("expected an AppError");
}

describe("validate", () => {
  it("a NUL or a lone surrogate in stored text is 400 bad_request naming the field", () => {
    for (const name of ["key\u0000", "key\ud800", "\udc00"]) {
      const error = refusal(() => validate(ZCreateApiKeyInput, { name }));
      expect(error.code).toBe("bad_request");
      expect(error.message).toMatch(/^name: must not contain/);
    }
  });

  it("names the unreadable field first even when other fields are wrong too", () => {
    const error = refusal(() =>
      validate(ZSignupInput, { password: "short", organizationName: "Acme\u0000" }),
    );
    expect(error.code).toBe("bad_request");
    expect(error.fieldErrors?.[0]?.path).toBe("organizationName");
    expect(error.fieldErrors?.map((e) => e.path)).toEqual(
      expect.arrayContaining(["email", "password"]),
    );
  });

  it("other failures stay 422 validation_failed", () => {
    expect(refusal(() => validate(ZCreateApiKeyInput, { name: "" })).code).toBe(
      "validation_failed",
    );
    expect(refusal(() => validate(ZCreateApiKeyInput, { name: 5 })).code).toBe("validation_failed");
  });
});

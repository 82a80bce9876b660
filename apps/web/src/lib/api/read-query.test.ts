import { AppError } from "@lunar/shared";
import { describe, expect, it } from "vitest";
import { readQuery } from "./read-query";

describe("readQuery", () => {
  it("takes one value per parameter and leaves empty ones out", () => {
    expect(readQuery(new URLSearchParams("host=a.example&server=&limit=5"))).toEqual({
      host: "a.example",
      limit: "5",
    });
  });

  it("refuses a parameter given twice with a 422 naming it", () => {
    try {
      readQuery(new URLSearchParams("host=a&limit=1&host=b"));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("validation_failed");
      expect((error as AppError).fieldErrors).toEqual([
        { path: "host", message: "given more than once" },
      ]);
    }
  });

  it("keeps a parameter named __proto__ as a plain value", () => {
    const query = readQuery(new URLSearchParams("__proto__=x"));
    expect(Object.keys(query)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(query)).toBe(Object.prototype);
  });
});

import { describe, expect, it } from "vitest";
import { MAX_TOOL_NAME, NameMap, namespacedName } from "./namespaced-names";

describe("namespaced tool names", () => {
  it("joins server and tool with a double underscore", () => {
    expect(namespacedName("slack", "post_message")).toBe("slack__post_message");
  });

  it("replaces characters clients refuse", () => {
    expect(namespacedName("github.com", "repos/list")).toBe("github_com__repos_list");
  });

  it("keeps long names within 64 characters, unique and stable", () => {
    const a = namespacedName(
      "a-rather-long-server-name-for-testing",
      "an_even_longer_tool_name_that_goes_on_and_on_1",
    );
    const b = namespacedName(
      "a-rather-long-server-name-for-testing",
      "an_even_longer_tool_name_that_goes_on_and_on_2",
    );
    expect(a).toHaveLength(MAX_TOOL_NAME);
    expect(a).not.toBe(b);
    expect(
      namespacedName(
        "a-rather-long-server-name-for-testing",
        "an_even_longer_tool_name_that_goes_on_and_on_1",
      ),
    ).toBe(a);
  });

  it("maps offered names back, also when sanitising made two collide", () => {
    const names = new NameMap();
    const dotted = names.add("s", "a.b");
    const underscored = names.add("s", "a_b");
    expect(dotted).not.toBe(underscored);
    expect(names.resolve(dotted)).toEqual({ server: "s", original: "a.b" });
    expect(names.resolve(underscored)).toEqual({ server: "s", original: "a_b" });
    expect(names.resolve("nope")).toBeUndefined();
  });
});

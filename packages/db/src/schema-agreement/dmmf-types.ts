// The DMMF shapes we read, taken from getDMMF's own signature so they follow @prisma/internals.

import type { getDMMF } from "@prisma/internals";

export type Datamodel = Awaited<ReturnType<typeof getDMMF>>["datamodel"];
export type DmmfModel = Datamodel["models"][number];
export type DmmfField = DmmfModel["fields"][number];
export type DmmfEnum = Datamodel["enums"][number];
export type DmmfIndex = Datamodel["indexes"][number];

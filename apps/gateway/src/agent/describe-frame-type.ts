/**
 * A frame's `type` as an error message may quote it: short, and never serialized whole (a
 * `type` nested thousands of arrays deep made JSON.stringify throw and crashed the gateway).
 */
export function describeFrameType(type: unknown): string {
  if (type === undefined) return "(missing)";
  if (typeof type === "string") return JSON.stringify(type.slice(0, 64).toWellFormed());
  if (type === null) return "null";
  if (Array.isArray(type)) return "(an array)";
  return `(a ${typeof type})`;
}

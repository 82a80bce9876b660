import { type THostEndpointsParams, ZHostEndpointsParams } from "@lunar/shared";

/**
 * The host a page URL names (/providers/<host>), or null. Next hands a page its dynamic segment
 * still percent-encoded (a route handler gets it decoded), so it is decoded here, once; a
 * malformed encoding or an invalid host names no host.
 */
export function hostOfSegment(segment: string): THostEndpointsParams["host"] | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return null;
  }
  const parsed = ZHostEndpointsParams.safeParse({ host: decoded });
  return parsed.success ? parsed.data.host : null;
}

import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireSession } from "@/modules/auth/lib/require-session";
import { HostEndpointsPanel } from "@/modules/endpoints/components/host-endpoints-panel";
import { hostOfSegment } from "@/modules/endpoints/lib/host-of-segment";
import { loadHostEndpoints } from "@/modules/endpoints/lib/load-host-endpoints";

type Props = { params: Promise<{ host: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const host = hostOfSegment((await params).host);
  return { title: host ? `Endpoints of ${host}` : "Endpoints" };
}

export default async function HostEndpointsPage({ params }: Props) {
  const session = await requireSession();
  const host = hostOfSegment((await params).host);
  // A host this org never called (another org's included) is not found, like a malformed one.
  const page = host ? await loadHostEndpoints(session.organization.id, host) : null;
  if (!page) notFound();
  return <HostEndpointsPanel initial={page} />;
}

import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthForm } from "@/modules/auth/components/auth-form";
import { readSessionFromCookies } from "@/modules/auth/lib/read-session";

export const metadata: Metadata = { title: "Sign up" };
export const dynamic = "force-dynamic";

export default async function SignupPage() {
  if (await readSessionFromCookies()) redirect("/overview");
  return <AuthForm mode="signup" />;
}

"use client";

import Link from "next/link";
import { type FormEvent, useState } from "react";
import { ApiError, apiFetch } from "@/lib/api-client";
import { useHydrated } from "@/lib/use-hydrated";
import { enterSessionPage } from "../lib/enter-session-page";

interface AuthFormProps {
  mode: "login" | "signup";
}

const COPY = {
  login: {
    title: "Log in to Lunar",
    submit: "Log in",
    busy: "Logging in…",
    endpoint: "/api/auth/login",
    alternate: { text: "New here?", link: "Create an account", href: "/signup" },
  },
  signup: {
    title: "Create your account",
    submit: "Create account",
    busy: "Creating account…",
    endpoint: "/api/auth/signup",
    alternate: { text: "Already have an account?", link: "Log in", href: "/login" },
  },
} as const;

export function AuthForm({ mode }: AuthFormProps) {
  const copy = COPY[mode];
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const payload: Record<string, string> = {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    };
    const organizationName = String(form.get("organizationName") ?? "").trim();
    if (mode === "signup" && organizationName) payload.organizationName = organizationName;

    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      await apiFetch(copy.endpoint, { method: "POST", body: JSON.stringify(payload) });
      enterSessionPage("/overview");
    } catch (caught) {
      if (caught instanceof ApiError) {
        setError(caught.message);
        const byField: Record<string, string> = {};
        for (const item of caught.problem.errors ?? []) byField[item.path] ??= item.message;
        setFieldErrors(byField);
      } else {
        setError("Could not reach the server. Check your connection and try again.");
      }
      setBusy(false);
    }
  }

  return (
    <div className="w-full max-w-sm">
      <div className="mb-8 flex items-center gap-2">
        <span className="grid h-9 w-9 place-items-center rounded-lg bg-brand-600 font-bold text-white">
          L
        </span>
        <span className="text-lg font-semibold">Lunar MCP Control Plane</span>
      </div>
      <h1 className="mb-6 text-2xl font-semibold tracking-tight">{copy.title}</h1>
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <Field
          label="Work email"
          name="email"
          type="email"
          autoComplete="email"
          error={fieldErrors.email}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete={mode === "login" ? "current-password" : "new-password"}
          hint={mode === "signup" ? "At least 10 characters." : undefined}
          error={fieldErrors.password}
        />
        {mode === "signup" && (
          <Field
            label="Organization name (optional)"
            name="organizationName"
            type="text"
            autoComplete="organization"
            error={fieldErrors.organizationName}
          />
        )}
        {error && (
          <p
            role="alert"
            className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700"
          >
            {error}
          </p>
        )}
        <button
          type="submit"
          disabled={busy || !hydrated}
          className="w-full rounded-md bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-60"
        >
          {busy ? copy.busy : copy.submit}
        </button>
      </form>
      <p className="mt-6 text-sm text-slate-600">
        {copy.alternate.text}{" "}
        <Link
          href={copy.alternate.href}
          className="font-medium text-brand-600 hover:text-brand-700"
        >
          {copy.alternate.link}
        </Link>
      </p>
    </div>
  );
}

interface FieldProps {
  label: string;
  name: string;
  type: string;
  autoComplete: string;
  hint?: string | undefined;
  error?: string | undefined;
}

function Field({ label, name, type, autoComplete, hint, error }: FieldProps) {
  const describedBy = error ? `${name}-error` : hint ? `${name}-hint` : undefined;
  return (
    <div>
      <label htmlFor={name} className="mb-1.5 block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={name}
        name={name}
        type={type}
        autoComplete={autoComplete}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100 aria-invalid:border-red-400"
      />
      {error ? (
        <p id={`${name}-error`} className="mt-1 text-xs text-red-600">
          {error}
        </p>
      ) : hint ? (
        <p id={`${name}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

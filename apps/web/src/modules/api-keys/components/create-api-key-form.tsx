"use client";

import type { TCreatedApiKey } from "@lunar/shared";
import { type FormEvent, useState } from "react";
import { useCreateApiKey } from "../hooks/use-api-keys";

export function CreateApiKeyForm({ onCreated }: { onCreated: (key: TCreatedApiKey) => void }) {
  const [name, setName] = useState("");
  const create = useCreateApiKey();

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.mutate(name, {
      onSuccess: (key) => {
        setName("");
        onCreated(key);
      },
    });
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3">
      <div className="min-w-64 flex-1">
        <label htmlFor="key-name" className="mb-1.5 block text-sm font-medium text-slate-700">
          New key name
        </label>
        <input
          id="key-name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          placeholder="e.g. alice-laptop"
          maxLength={80}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100"
        />
      </div>
      <button
        type="submit"
        disabled={create.isPending}
        className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-60"
      >
        {create.isPending ? "Creating…" : "Create key"}
      </button>
      {create.error && (
        <p role="alert" className="w-full text-sm text-red-600">
          {create.error.message}
        </p>
      )}
    </form>
  );
}

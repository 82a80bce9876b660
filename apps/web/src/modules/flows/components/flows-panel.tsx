"use client";

import type { TFlowsIssue, TFlowsState } from "@lunar/shared";
import { useRef, useState } from "react";
import { ApiError } from "@/lib/api-client";
import { useFlowsState, useSaveFlows } from "../hooks/use-flows";
import { EXAMPLE_FLOWS_YAML } from "../lib/example-flows";
import { issueLine } from "../lib/flows-issues";
import { modeOfYaml } from "../lib/mode-of-yaml";
import { FlowsHistory } from "./flows-history";
import { FlowsStatus } from "./flows-status";
import { IssueList } from "./issue-list";
import { TestUrlForm } from "./test-url-form";
import { YamlEditor, type YamlEditorHandle } from "./yaml-editor";

type ModeChange = { to: "visibility" | "allowlist" };

export function FlowsPanel({ initial }: { initial: TFlowsState }) {
  const state = useFlowsState(initial).data;
  const save = useSaveFlows();
  const editor = useRef<YamlEditorHandle>(null);
  const [loaded, setLoaded] = useState(() => editorSourceOf(state));
  const [text, setText] = useState(loaded.yaml);
  const [errors, setErrors] = useState<TFlowsIssue[]>([]);
  const [warnings, setWarnings] = useState<TFlowsIssue[]>([]);
  const [saved, setSaved] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<ModeChange | null>(null);
  const unsaved = text !== loaded.yaml;
  const isExample = loaded.version === 0;
  // A newer version arrived (another tab, a provider approved or blocked): follow it unless the
  // editor holds changes, which are then saved against the version they were made on (409).
  if (state.version !== loaded.version && !unsaved) {
    const next = editorSourceOf(state);
    setLoaded(next);
    setText(next.yaml);
  }
  const behind = state.version !== loaded.version;

  function edit(value: string) {
    setText(value);
    setSaved(null);
    setConfirming(null);
  }

  function requestSave() {
    setFailure(null);
    const mode = modeOfYaml(text);
    if (mode !== null && mode !== state.mode) {
      setConfirming({ to: mode });
      return;
    }
    doSave();
  }

  function doSave() {
    setConfirming(null);
    save.mutate(
      { yaml: text, baseVersion: loaded.version },
      {
        onSuccess: (result) => {
          setErrors([]);
          setWarnings(result.warnings);
          setSaved(result.version);
          setLoaded({ version: result.version, yaml: result.yaml });
          setText(result.yaml);
        },
        onError: (error) => {
          const fieldErrors = error instanceof ApiError ? error.problem.errors : undefined;
          if (
            error instanceof ApiError &&
            error.problem.code === "validation_failed" &&
            fieldErrors
          ) {
            setErrors(fieldErrors);
            setWarnings([]);
            const first = fieldErrors.map(issueLine).find((line) => line !== null);
            if (first) editor.current?.goToLine(first);
          } else {
            setErrors([]);
            setFailure(error.message);
          }
        },
      },
    );
  }

  const errorLines = new Set(errors.map(issueLine).filter((line): line is number => line !== null));
  const warningLines = new Set(
    warnings.map(issueLine).filter((line): line is number => line !== null),
  );

  return (
    <div className="space-y-6">
      <FlowsStatus state={state} />
      <div className="grid gap-6 lg:grid-cols-5">
        <section
          aria-label="Flows editor"
          className="space-y-4 rounded-xl border border-slate-200 bg-white p-6 lg:col-span-3"
        >
          <div className="flex flex-wrap items-center justify-between gap-3">
            <div>
              <h2 className="text-base font-semibold text-slate-900">
                {isExample
                  ? unsaved
                    ? "New flows (nothing saved yet)"
                    : "Example flows"
                  : `Version ${loaded.version}`}
              </h2>
              <p className="mt-0.5 text-xs text-slate-500">
                {isExample
                  ? "Not saved: nothing is enforced until you save. Format: docs/FLOWS.md."
                  : "Shown as stored: comments are not kept, and flows may come back in another order."}
              </p>
            </div>
            {unsaved && (
              <span className="rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-medium text-amber-800">
                Unsaved changes
              </span>
            )}
          </div>
          {behind && (
            <div
              role="status"
              className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900"
            >
              <span>
                Version {state.version} was saved while you were editing version {loaded.version}.
              </span>
              <button
                type="button"
                onClick={() => {
                  const next = editorSourceOf(state);
                  setLoaded(next);
                  edit(next.yaml);
                }}
                className="text-xs font-semibold underline underline-offset-2"
              >
                Discard my changes and load version {state.version}
              </button>
            </div>
          )}
          <YamlEditor
            ref={editor}
            id="flows-yaml"
            label="Flows YAML"
            value={text}
            onChange={edit}
            errorLines={errorLines}
            warningLines={warningLines}
          />
          <IssueList
            kind="error"
            issues={errors}
            text={text}
            onGoToLine={(line) => editor.current?.goToLine(line)}
          />
          {failure && (
            <p role="alert" className="text-sm text-red-600">
              {failure}
            </p>
          )}
          {saved !== null && (
            <p role="status" className="text-sm text-emerald-700" data-testid="flows-saved">
              Saved as version {saved}. Connected agents get it through their gateway within a
              second.
            </p>
          )}
          <IssueList
            kind="warning"
            issues={warnings}
            text={text}
            onGoToLine={(line) => editor.current?.goToLine(line)}
          />
          {confirming ? (
            <ModeChangeConfirmation
              change={confirming}
              busy={save.isPending}
              onConfirm={doSave}
              onCancel={() => setConfirming(null)}
            />
          ) : (
            <div className="flex flex-wrap items-center gap-3">
              <button
                type="button"
                onClick={requestSave}
                disabled={save.isPending}
                className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-60"
              >
                {save.isPending ? "Saving…" : "Save"}
              </button>
              {unsaved && (
                <button
                  type="button"
                  onClick={() => {
                    edit(loaded.yaml);
                    setErrors([]);
                    setWarnings([]);
                    setFailure(null);
                  }}
                  className="text-sm font-medium text-slate-600 hover:text-slate-900"
                >
                  {isExample ? "Restore the example" : `Revert to version ${loaded.version}`}
                </button>
              )}
            </div>
          )}
        </section>
        <div className="space-y-6 lg:col-span-2">
          <TestUrlForm version={state.version} />
          <FlowsHistory state={state} />
        </div>
      </div>
    </div>
  );
}

/** What the editor starts from: the stored YAML, or the example while nothing was ever saved. */
function editorSourceOf(state: TFlowsState): { version: number; yaml: string } {
  return { version: state.version, yaml: state.version === 0 ? EXAMPLE_FLOWS_YAML : state.yaml };
}

function ModeChangeConfirmation({
  change,
  busy,
  onConfirm,
  onCancel,
}: {
  change: ModeChange;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const toAllowlist = change.to === "allowlist";
  return (
    <div
      role="alertdialog"
      aria-label="Confirm the mode change"
      className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900"
    >
      <p className="font-semibold">
        {toAllowlist
          ? "This turns on an allowlist for the whole organization."
          : "This removes the organization's allowlist."}
      </p>
      <p>
        {toAllowlist
          ? "Every outbound call of every agent that matches none of its urls will be blocked (default-deny), within a second of saving."
          : "Every host will be allowed again (visibility mode), except what deny rules block."}
      </p>
      <div className="flex gap-3">
        <button
          type="button"
          onClick={onConfirm}
          disabled={busy}
          className="rounded-md bg-amber-600 px-3 py-1.5 text-xs font-semibold text-white hover:bg-amber-700 disabled:opacity-60"
        >
          {toAllowlist ? "Save and enforce the allowlist" : "Save and remove the allowlist"}
        </button>
        <button
          type="button"
          onClick={onCancel}
          className="text-xs font-medium text-amber-900 hover:underline"
        >
          Cancel
        </button>
      </div>
    </div>
  );
}

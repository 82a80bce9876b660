"use client";

import { type Ref, useImperativeHandle, useRef } from "react";

const LINE_HEIGHT_PX = 20;

export interface YamlEditorHandle {
  /** Focuses the editor with the given 1-based line selected and scrolled into view. */
  goToLine(line: number): void;
}

/**
 * A monospace textarea with a line-number gutter. Lines with a problem are marked in the gutter.
 * Lines never wrap, so gutter line n is text line n.
 */
export function YamlEditor({
  ref,
  id,
  value,
  onChange,
  errorLines,
  warningLines,
  label,
}: {
  ref?: Ref<YamlEditorHandle>;
  id: string;
  value: string;
  onChange: (value: string) => void;
  errorLines: ReadonlySet<number>;
  warningLines: ReadonlySet<number>;
  label: string;
}) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lineCount = value.split("\n").length;
  const visibleLines = Math.min(Math.max(lineCount + 1, 18), 40);

  useImperativeHandle(ref, () => ({
    goToLine(line: number) {
      const element = textarea.current;
      if (!element) return;
      const lines = element.value.split("\n");
      const index = Math.min(Math.max(line, 1), lines.length) - 1;
      const start = lines.slice(0, index).reduce((sum, text) => sum + text.length + 1, 0);
      element.focus();
      element.setSelectionRange(start, start + (lines[index]?.length ?? 0));
      element.scrollTop = Math.max(0, (index - 3) * LINE_HEIGHT_PX);
      syncGutter();
    },
  }));

  function syncGutter() {
    if (gutter.current && textarea.current) gutter.current.scrollTop = textarea.current.scrollTop;
  }

  return (
    <div className="flex overflow-hidden rounded-lg border border-slate-300 bg-white focus-within:border-brand-500 focus-within:ring-2 focus-within:ring-brand-100">
      <div
        ref={gutter}
        aria-hidden="true"
        className="shrink-0 select-none overflow-hidden border-r border-slate-200 bg-slate-50 py-2 text-right font-mono text-xs text-slate-400"
        style={{ height: visibleLines * LINE_HEIGHT_PX + 16 }}
      >
        {Array.from({ length: lineCount }, (_, index) => {
          const line = index + 1;
          const marker = errorLines.has(line)
            ? "bg-red-100 font-semibold text-red-700"
            : warningLines.has(line)
              ? "bg-amber-100 text-amber-800"
              : "";
          return (
            <div
              key={line}
              data-testid={errorLines.has(line) ? "editor-error-line" : undefined}
              className={`px-2 ${marker}`}
              style={{ height: LINE_HEIGHT_PX, lineHeight: `${LINE_HEIGHT_PX}px` }}
            >
              {line}
            </div>
          );
        })}
      </div>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <textarea
        id={id}
        ref={textarea}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onScroll={syncGutter}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        autoCorrect="off"
        wrap="off"
        className="block w-full resize-none overflow-auto bg-transparent px-3 py-2 font-mono text-xs text-slate-900 outline-none"
        style={{ height: visibleLines * LINE_HEIGHT_PX + 16, lineHeight: `${LINE_HEIGHT_PX}px` }}
      />
    </div>
  );
}

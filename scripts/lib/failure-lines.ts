// Keeps the lines of a step's output that name a failure, so the summary at the very end of
// `npm test` (often all a CI record keeps) says which test failed, not only which step.

import { stripVTControlCharacters } from "node:util";

const FAILURE_LINE = /(\bFAIL\b|✗|×|\bAssertionError\b|\bError: |Timed out|\d+ failed)/;
const MAX_LINES = 60;

export class FailureLines {
  private readonly lines: string[] = [];
  private partial = "";

  add(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const lines = text.split("\n");
    this.partial = lines.pop() ?? "";
    for (const line of lines) this.keepIfFailure(line);
  }

  finish(): string[] {
    if (this.partial) this.keepIfFailure(this.partial);
    this.partial = "";
    return this.lines;
  }

  private keepIfFailure(line: string): void {
    const plain = stripVTControlCharacters(line).trimEnd();
    if (!FAILURE_LINE.test(plain)) return;
    if (this.lines.length === MAX_LINES) this.lines.shift();
    this.lines.push(plain);
  }
}

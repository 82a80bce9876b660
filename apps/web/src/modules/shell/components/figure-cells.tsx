import { formatCount, formatMs } from "./format";

const FIGURE = "px-3 py-3 text-right tabular-nums";

interface FigureCellProps {
  testId: string;
  /** The first cell of a group of columns gets a rule on its left. */
  groupStart?: boolean;
}

/** A table cell with a count ("1,204"), right-aligned in tabular digits. */
export function CountCell({ testId, value, groupStart }: FigureCellProps & { value: number }) {
  return (
    <td
      data-testid={testId}
      className={groupStart ? `border-l border-slate-100 ${FIGURE}` : FIGURE}
    >
      {formatCount(value)}
    </td>
  );
}

/** A table cell with a latency ("38 ms", "–" without one), kept on one line. */
export function LatencyCell({ testId, value }: FigureCellProps & { value: number | null }) {
  return (
    <td data-testid={testId} className={`whitespace-nowrap ${FIGURE}`}>
      {formatMs(value)}
    </td>
  );
}

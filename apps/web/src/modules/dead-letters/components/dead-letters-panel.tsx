"use client";

import type { TDeadLetter, TDeadLettersPage } from "@lunar/shared";
import { DateTime } from "@/modules/shell/components/date-time";
import { formatCount } from "@/modules/shell/components/format";
import { useDeadLetters } from "../hooks/use-dead-letters";

/**
 * Events an agent sent that passed validation but that the database refused, kept by the
 * gateway with the database's reason. Everything in a row came from an agent: text only.
 */
export function DeadLettersPanel({ initial, limit }: { initial: TDeadLettersPage; limit: number }) {
  const { total, deadLetters } = useDeadLetters(initial, limit).data;
  return (
    <section aria-label="Rejected events" className="rounded-xl border border-slate-200 bg-white">
      <div className="flex items-center justify-between border-b border-slate-200 px-6 py-4">
        <h2 className="text-base font-semibold text-slate-900">Rejected events</h2>
        <span
          data-testid="dead-letters-count"
          className={`text-sm tabular-nums ${total > 0 ? "font-semibold text-amber-700" : "text-slate-500"}`}
        >
          {formatCount(total)} {total === 1 ? "event" : "events"}
        </span>
      </div>
      {total === 0 ? (
        <p className="px-6 py-4 text-sm text-slate-600">
          No event was rejected. An event that passes the gateway's checks but that the database
          refuses would be listed here with the database's reason, instead of holding up the agent's
          other events.
        </p>
      ) : (
        <>
          <p className="px-6 pt-4 text-sm text-slate-600">
            These events passed the gateway's checks, but the database refused to store them. Each
            was acknowledged to its agent as rejected, so the agent's other events went on.
            {total > deadLetters.length &&
              ` The newest ${formatCount(deadLetters.length)} are listed.`}
          </p>
          <div className="overflow-x-auto">
            <table className="mt-2 min-w-full divide-y divide-slate-200 text-sm">
              <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="px-6 py-2">
                    Received
                  </th>
                  <th scope="col" className="px-6 py-2">
                    Agent
                  </th>
                  <th scope="col" className="px-6 py-2">
                    Kind
                  </th>
                  <th scope="col" className="px-6 py-2">
                    Reason
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {deadLetters.map((letter) => (
                  <DeadLetterRow key={letter.id} letter={letter} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function DeadLetterRow({ letter }: { letter: TDeadLetter }) {
  return (
    <tr data-testid="dead-letter" className="align-top text-slate-700">
      <td className="whitespace-nowrap px-6 py-2 text-xs">
        <DateTime iso={letter.receivedAt} />
      </td>
      <td className="min-w-40 max-w-56 px-6 py-2">
        <span className="break-words font-medium text-slate-900">
          {letter.agentName ?? "unknown agent"}
        </span>
        <span className="block font-mono text-xs text-slate-400" title={letter.agentId}>
          {letter.agentId.slice(0, 8)}
        </span>
      </td>
      <td className="px-6 py-2 font-mono text-xs">{letter.kind}</td>
      <td className="max-w-xl px-6 py-2">
        <span className="break-words">{letter.reason}</span>
        <details className="mt-1 text-xs text-slate-500">
          <summary className="cursor-pointer">Event {letter.eventId}</summary>
          <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 font-mono">
            {letter.payload}
          </pre>
        </details>
      </td>
    </tr>
  );
}

const FORMATS = {
  medium: new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" }),
  short: new Intl.DateTimeFormat("en", { dateStyle: "short", timeStyle: "short" }),
};

/**
 * A point in time. Rendered on the server (its time zone) and then in the browser (the user's):
 * the text may differ, which is expected, so React is told not to treat it as a hydration error.
 */
export function DateTime({
  iso,
  fallback = "Never",
  format = "medium",
}: {
  iso: string | null;
  fallback?: string;
  format?: keyof typeof FORMATS;
}) {
  if (!iso) return <>{fallback}</>;
  return (
    <time dateTime={iso} title={iso} suppressHydrationWarning>
      {FORMATS[format].format(new Date(iso))}
    </time>
  );
}

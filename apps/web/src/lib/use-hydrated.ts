import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/**
 * False in the server render and until React has hydrated, then true. A form that submits through
 * JavaScript disables its button until then: a click before hydration would submit natively, as a
 * GET with the password in the URL.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

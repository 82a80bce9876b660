/**
 * Moves to a page after the session changed (signed in, signed out) with a full page load rather
 * than a client-side navigation: nothing the router cached under the previous session survives,
 * and no soft navigation can be superseded half way (router.replace then router.refresh loses
 * the navigation in Next 16 now and then).
 */
export function enterSessionPage(path: "/overview" | "/login"): void {
  window.location.replace(path);
}

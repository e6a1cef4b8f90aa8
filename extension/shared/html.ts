// The one HTML escaper: text and attribute values the lesson page builds by hand (the host's page
// and cells markup; the webview builds DOM nodes instead, which need none).

/** `s` safe inside element text and inside a quoted attribute value. */
export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

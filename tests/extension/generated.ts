// The files scripts/gen-protocol.mjs writes under extension/: the backend's export as plain types
// (backend/protocol/, one file per Python module) and data (backend/*.generated.ts).

/** Whether a path relative to extension/ (with `/`) is one the generator writes. */
export const isGenerated = (file: string): boolean =>
  file.startsWith("backend/protocol/") || /^backend\/[^/]+\.generated\.ts$/.test(file);

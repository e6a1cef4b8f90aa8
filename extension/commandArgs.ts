// The shape of a command's arguments, in a module of its own: commands.ts checks them and
// settings.ts maps them onto params, and neither may import the other (no import circle).

/** Extra arguments a lesson link may pass, e.g. `command:tenstorrent.runMeshExample?{"shape":"2x4"}`. */
export type CommandArgs = Record<string, string | number | boolean>;

// The settings as a fresh install has them: what readSettings gives when nothing is set (each
// key's default from the backend's export). Tests spread it and change what they need.
import { readSettings, type TtXlaSettings } from "../../extension/settings";

export const DEFAULTS: TtXlaSettings = readSettings(() => undefined, true);

// Each Tenstorrent chip's temperature, power and AI clock, read from the kernel driver's sysfs
// files over a small fs seam (the tests build a fake tree in a temp dir). No `vscode` import.
//
// The file names are tt-kmd's own (tenstorrent/tt-kmd):
//  - docs/sysfs-attributes.md, wormhole.c `wh_sysfs_attributes`, blackhole.c: every chip is
//    /sys/class/tenstorrent/tenstorrent!<N>/ (N as in /dev/tenstorrent/<N>), with `tt_aiclk`
//    (AI clock, MHz, decimal) and `tt_card_type` ("n150", "n300", "p150a", ...). An attribute is
//    absent when the firmware does not report its tag.
//  - chardev.c: that class device's parent is the PCI device, so `<class dir>/device` leads to it;
//    wormhole.c / blackhole.c register the hwmon device on the PCI device
//    (`hwmon_device_register_with_info(&pdev->dev, ...)`), i.e. `<class dir>/device/hwmon/hwmon<K>/`.
//  - telemetry.c `tt_hwmon_read` + the `wh_hwmon_attrs` / `bh_hwmon_attrs` tables: `temp1_input`
//    in millidegrees C, `power1_input` in microwatts (test/hwmon.cpp reads the same names).
// Tenstorrent's own lessons extension reads the same paths (tenstorrent/tt-vscode-toolkit,
// src/telemetry/telemetryReader.py).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** The two calls the reader needs; `nodeFs` is the real one. */
export interface SysfsFs {
  readdir(path: string): Promise<string[]>;
  readFile(path: string): Promise<string>;
}

export const nodeFs: SysfsFs = {
  readdir: (path) => readdir(path),
  readFile: (path) => readFile(path, "utf8"),
};

/** tt-kmd's class directory: one `tenstorrent!<N>` entry per chip. */
export const SYSFS_CLASS = "/sys/class/tenstorrent";

/**
 * The chips' device nodes. In a container sysfs shows every chip of the host but /dev only the
 * ones passed in (tt-vscode-toolkit's reader filters the same way), and a chip without its node
 * cannot be used here, so only chips with a node count.
 */
export const DEV_DIR = "/dev/tenstorrent";

/** One chip's reading; a value the driver or firmware does not expose is left out. */
export interface ChipReading {
  /** N of /dev/tenstorrent/N. */
  index: number;
  card?: string;
  tempC?: number;
  powerW?: number;
  aiclkMHz?: number;
}

const CHIP_DIR = /^tenstorrent!(\d+)$/;
const HWMON_DIR = /^hwmon(\d+)$/;

async function text(fs: SysfsFs, path: string): Promise<string | undefined> {
  try {
    const value = (await fs.readFile(path)).trim();
    return value === "" ? undefined : value;
  } catch {
    return undefined; // absent (tag not reported, no hwmon) or unreadable: no value, not an error
  }
}

async function integer(fs: SysfsFs, path: string): Promise<number | undefined> {
  const value = await text(fs, path);
  return value !== undefined && /^-?\d+$/.test(value) ? Number(value) : undefined;
}

/** The chip's hwmon folder, `<chip>/device/hwmon/hwmon<K>` (lowest K), if it has one. */
async function hwmonDir(fs: SysfsFs, chipDir: string): Promise<string | undefined> {
  const base = join(chipDir, "device", "hwmon");
  let names: string[];
  try {
    names = await fs.readdir(base);
  } catch {
    return undefined;
  }
  const first = names
    .map((n) => HWMON_DIR.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]))[0];
  return first ? join(base, first[0]) : undefined;
}

async function readChip(fs: SysfsFs, dir: string, index: number): Promise<ChipReading> {
  const hwmon = await hwmonDir(fs, dir);
  const [card, aiclk, milliC, microW] = await Promise.all([
    text(fs, join(dir, "tt_card_type")),
    integer(fs, join(dir, "tt_aiclk")),
    hwmon ? integer(fs, join(hwmon, "temp1_input")) : undefined,
    hwmon ? integer(fs, join(hwmon, "power1_input")) : undefined,
  ]);
  const chip: ChipReading = { index };
  if (card !== undefined) chip.card = card;
  if (milliC !== undefined) chip.tempC = milliC / 1000;
  if (microW !== undefined) chip.powerW = microW / 1_000_000;
  if (aiclk !== undefined) chip.aiclkMHz = aiclk;
  return chip;
}

async function list(fs: SysfsFs, dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch {
    return [];
  }
}

/**
 * Every chip under `root` that has its device node in `devDir`, by index; none (an empty list)
 * without the driver or a card.
 */
export async function readChips(
  fs: SysfsFs = nodeFs,
  root: string = SYSFS_CLASS,
  devDir: string = DEV_DIR,
): Promise<ChipReading[]> {
  const [names, nodes] = await Promise.all([list(fs, root), list(fs, devDir)]);
  const present = new Set(nodes);
  const chips = names
    .map((n) => CHIP_DIR.exec(n))
    .filter((m): m is RegExpExecArray => m !== null && present.has(m[1] ?? ""))
    .map((m) => ({ dir: join(root, m[0]), index: Number(m[1]) }))
    .sort((a, b) => a.index - b.index);
  return Promise.all(chips.map((c) => readChip(fs, c.dir, c.index)));
}

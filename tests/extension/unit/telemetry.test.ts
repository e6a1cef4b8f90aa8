// Chip telemetry read from a fake sysfs tree laid out as tt-kmd lays it out: the class entry
// /sys/class/tenstorrent/tenstorrent!N is a link to the chip's folder under its PCI device,
// whose `device` link leads back to the PCI device, where the hwmon folder lives; its device
// node is /dev/tenstorrent/N (a plain file here).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { barText, chipLine, chipRows } from "../../../extension/telemetry/format";
import { readChips, type ChipReading } from "../../../extension/telemetry/sysfs";

let root: string;
let classDir: string;
let devDir: string;

interface FakeChip {
  index: number;
  bdf: string;
  attrs?: Record<string, string>;
  /** hwmon folder name -> files; none: the driver registered no hwmon device. */
  hwmon?: Record<string, Record<string, string>>;
  /** No /dev/tenstorrent/N: a container that was not given this chip. */
  noNode?: boolean;
}

function writeAll(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, value] of Object.entries(files)) writeFileSync(join(dir, name), value);
}

function addChip(chip: FakeChip): void {
  const pci = join(root, "devices", "pci0000:00", chip.bdf);
  const chipDir = join(pci, "tenstorrent", `tenstorrent!${chip.index}`);
  writeAll(chipDir, { dev: `234:${chip.index}\n`, ...chip.attrs });
  symlinkSync("../..", join(chipDir, "device"));
  for (const [name, files] of Object.entries(chip.hwmon ?? {})) writeAll(join(pci, "hwmon", name), files);
  symlinkSync(chipDir, join(classDir, `tenstorrent!${chip.index}`));
  if (!chip.noNode) writeFileSync(join(devDir, String(chip.index)), "");
}

const read = (): Promise<ChipReading[]> => readChips(undefined, classDir, devDir);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "tt-sysfs-"));
  classDir = join(root, "class", "tenstorrent");
  devDir = join(root, "dev", "tenstorrent");
  mkdirSync(classDir, { recursive: true });
  mkdirSync(devDir, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const WORMHOLE_HWMON = {
  name: "wormhole\n",
  temp1_input: "45312\n",
  temp1_max: "75000\n",
  temp1_label: "asic1_temp\n",
  power1_input: "23000000\n",
  power1_max: "100000000\n",
  in0_input: "790\n",
  curr1_input: "29000\n",
};

describe("readChips", () => {
  it("reads each chip's card, temperature (m°C), power (µW) and AI clock (MHz), in index order", async () => {
    addChip({
      index: 10,
      bdf: "0000:0a:00.0",
      attrs: { tt_card_type: "p150a\n", tt_aiclk: "1350\n" },
      hwmon: { hwmon7: { ...WORMHOLE_HWMON, temp1_input: "60500\n", power1_input: "120500000\n" } },
    });
    addChip({
      index: 0,
      bdf: "0000:01:00.0",
      attrs: { tt_card_type: "n150\n", tt_aiclk: "1000\n", tt_axiclk: "900\n" },
      hwmon: { hwmon3: WORMHOLE_HWMON },
    });
    expect(await read()).toEqual([
      { index: 0, card: "n150", tempC: 45.312, powerW: 23, aiclkMHz: 1000 },
      { index: 10, card: "p150a", tempC: 60.5, powerW: 120.5, aiclkMHz: 1350 },
    ]);
  });

  it("leaves out what the firmware or driver does not expose, instead of inventing zeros", async () => {
    addChip({ index: 0, bdf: "0000:01:00.0", attrs: { tt_card_type: "n300\n" } }); // no hwmon, no tt_aiclk
    addChip({ index: 1, bdf: "0000:02:00.0", hwmon: { hwmon2: { temp1_input: "garbage\n" } } });
    expect(await read()).toEqual([{ index: 0, card: "n300" }, { index: 1 }]);
  });

  it("uses the lowest-numbered hwmon folder and ignores other entries", async () => {
    addChip({
      index: 0,
      bdf: "0000:01:00.0",
      hwmon: { hwmon12: { temp1_input: "99000\n" }, hwmon4: { temp1_input: "41000\n" } },
    });
    mkdirSync(join(classDir, "not-a-chip"));
    expect(await read()).toEqual([{ index: 0, tempC: 41 }]);
  });

  it("finds no chip without the driver's class folder, or with an empty one", async () => {
    expect(await readChips(undefined, join(root, "absent"), devDir)).toEqual([]);
    expect(await read()).toEqual([]);
  });

  it("counts only chips whose device node is here (a container sees the host's sysfs)", async () => {
    addChip({ index: 0, bdf: "0000:01:00.0", attrs: { tt_card_type: "n150\n" }, noNode: true });
    addChip({ index: 1, bdf: "0000:02:00.0", attrs: { tt_card_type: "n150\n" } });
    expect(await read()).toEqual([{ index: 1, card: "n150" }]);
    expect(await readChips(undefined, classDir, join(root, "no-dev"))).toEqual([]);
  });
});

const n150: ChipReading = { index: 0, card: "n150", tempC: 45.312, powerW: 23, aiclkMHz: 1000 };
const p150: ChipReading = { index: 1, card: "p150a", tempC: 60.5, powerW: 120.5, aiclkMHz: 1350 };

describe("telemetry wording", () => {
  it("shows nothing where there is no chip", () => {
    expect(barText([])).toBeUndefined();
    expect(chipRows([])).toEqual([]);
  });

  it("one chip: its temperature, power and clock in the status bar", () => {
    const bar = barText([n150]);
    expect(bar?.text).toBe("$(thermometer) 45 °C · 23 W · 1000 MHz");
    expect(bar?.tooltip).toContain("Chip 0 (n150): 45.3 °C, 23.0 W, AI clock 1000 MHz");
  });

  it("several chips: the hottest and the total power, every chip in the tooltip", () => {
    const bar = barText([n150, p150, { index: 2 }]);
    expect(bar?.text).toBe("$(thermometer) 3 chips · max 61 °C · 144 W");
    expect(bar?.tooltip.split("\n").slice(0, 3)).toEqual([chipLine(n150), chipLine(p150), "Chip 2: —, —, AI clock —"]);
  });

  it("one sidebar row per chip", () => {
    expect(chipRows([n150, { index: 3, card: "n300" }])).toEqual([
      {
        id: "chip-0",
        label: "Chip 0 (n150)",
        description: "45 °C · 23 W · 1000 MHz",
        tooltip: "Chip 0 (n150): 45.3 °C, 23.0 W, AI clock 1000 MHz",
        icon: "thermometer",
      },
      {
        id: "chip-3",
        label: "Chip 3 (n300)",
        description: "— · — · —",
        tooltip: "Chip 3 (n300): —, —, AI clock —",
        icon: "thermometer",
      },
    ]);
  });
});

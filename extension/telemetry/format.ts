// What the telemetry looks like: the status-bar text and tooltip, and one sidebar row per chip.
// Pure, so the wording is unit-tested; register.ts only draws it.
import type { StatusRow } from "../status/model";
import type { ChipReading } from "./sysfs";

const NONE = "—";

const temp = (c: ChipReading): string => (c.tempC === undefined ? NONE : `${Math.round(c.tempC)} °C`);
const power = (c: ChipReading): string => (c.powerW === undefined ? NONE : `${Math.round(c.powerW)} W`);
const clock = (c: ChipReading): string => (c.aiclkMHz === undefined ? NONE : `${c.aiclkMHz} MHz`);

const name = (c: ChipReading): string => `Chip ${c.index}${c.card ? ` (${c.card})` : ""}`;

/** One line per chip, with a decimal more than the short forms. */
export function chipLine(c: ChipReading): string {
  const t = c.tempC === undefined ? NONE : `${c.tempC.toFixed(1)} °C`;
  const p = c.powerW === undefined ? NONE : `${c.powerW.toFixed(1)} W`;
  return `${name(c)}: ${t}, ${p}, AI clock ${clock(c)}`;
}

export interface BarText {
  text: string;
  tooltip: string;
}

/** The status-bar item, or undefined (hidden) when there is no chip. */
export function barText(chips: readonly ChipReading[]): BarText | undefined {
  const [first] = chips;
  if (!first) return undefined;
  const tooltip = [...chips.map(chipLine), "", "Read from the tenstorrent driver's sysfs files."].join("\n");
  if (chips.length === 1) {
    return { text: `$(thermometer) ${temp(first)} · ${power(first)} · ${clock(first)}`, tooltip };
  }
  // Several chips: the hottest one and the power of all of them, what one glance should catch.
  const temps = chips.flatMap((c) => (c.tempC === undefined ? [] : [c.tempC]));
  const watts = chips.flatMap((c) => (c.powerW === undefined ? [] : [c.powerW]));
  const hottest = temps.length ? `max ${Math.round(Math.max(...temps))} °C` : `max ${NONE}`;
  const total = watts.length ? `${Math.round(watts.reduce((a, b) => a + b, 0))} W` : NONE;
  return { text: `$(thermometer) ${chips.length} chips · ${hottest} · ${total}`, tooltip };
}

/** The sidebar rows: one per chip, none without chips. */
export function chipRows(chips: readonly ChipReading[]): StatusRow[] {
  return chips.map((c) => ({
    id: `chip-${c.index}`,
    label: name(c),
    description: `${temp(c)} · ${power(c)} · ${clock(c)}`,
    tooltip: chipLine(c),
    icon: "thermometer",
  }));
}

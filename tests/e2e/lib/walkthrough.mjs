// The Getting Started walkthrough in the workbench: opened as a person does (Welcome: Open
// Walkthrough..., then its title), and each step's tick read from the checkbox VS Code draws.
import { MINUTE } from "./env.mjs";
import { waitFor } from "./workbench.mjs";

/** Runs a palette command that answers with a pick list of its own; returns the quick input. */
async function paletteCommand(page, title) {
  await page.keyboard.press("Escape");
  await page.locator(".monaco-workbench .part.statusbar").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: 10_000 });
  await input.fill(`>${title}`);
  // Clicked by its exact label: Enter would take the top row, which may be a longer title.
  const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
  await page
    .locator(".quick-input-list .monaco-list-row")
    .filter({ has: page.locator(".label-name", { hasText: exact }) })
    .first()
    .click({ timeout: 10_000 });
  return input;
}

/** Opens the walkthrough titled `title` and waits until every step in `stepIds` is drawn. */
export async function openWalkthrough(page, title, stepIds) {
  await waitFor(
    async () => {
      const input = await paletteCommand(page, "Welcome: Open Walkthrough...");
      await page
        .locator('.quick-input-widget input[aria-label="Select a walkthrough to open"]')
        .waitFor({ state: "visible", timeout: 10_000 });
      await input.fill(title);
      await page
        .locator(".quick-input-list .monaco-list-row", { hasText: title })
        .first()
        .waitFor({ state: "visible", timeout: 10_000 });
      await input.press("Enter");
      return true;
    },
    { timeoutMs: 2 * MINUTE, what: "the walkthrough picked from Welcome: Open Walkthrough..." },
  );
  await page.locator(".gettingStartedContainer").waitFor({ state: "visible", timeout: MINUTE });
  for (const id of stepIds) await stepCheck(page, id).waitFor({ state: "attached", timeout: MINUTE });
}

/** The walkthrough step's checkbox (VS Code marks it with aria-checked). */
export function stepCheck(page, id) {
  return page.locator(`[data-done-step-id$="#${id}"]`).first();
}

/** Each step id -> whether VS Code shows it ticked. */
export async function ticks(page, stepIds) {
  const out = {};
  for (const id of stepIds) out[id] = (await stepCheck(page, id).getAttribute("aria-checked")) === "true";
  return out;
}

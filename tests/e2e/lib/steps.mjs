// A flow of dependent `node:test` steps: once one fails, the later ones are skipped (they build on
// it), and the failing one leaves a screenshot and whatever else the file wants to say.
import { test } from "node:test";
import { screenshot } from "./workbench.mjs";

/**
 * `step(name, fn, timeout)` for one test file. `page()` is the page to screenshot (or undefined);
 * `diagnose(t)` may add diagnostics after the screenshot, e.g. the extension's log.
 */
export function flow({ prefix, page, defaultTimeout, diagnose = () => undefined }) {
  let broken = null; // the first failed step
  return function step(name, fn, timeout = defaultTimeout) {
    test(name, { timeout }, async (t) => {
      if (broken) return t.skip(`depends on "${broken}", which failed`);
      try {
        await fn(t);
      } catch (err) {
        broken = name;
        const current = page();
        if (current) {
          const shot = await screenshot(current, `FAILED-${prefix}${name.replace(/[^a-z0-9]+/gi, "-")}`).catch(
            () => null,
          );
          if (shot) t.diagnostic(`screenshot: ${shot}`);
        }
        diagnose(t);
        throw err;
      }
    });
  };
}

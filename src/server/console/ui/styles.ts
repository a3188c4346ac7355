// @ts-expect-error TS2307: Bun's text loader makes a CSS file a string; TypeScript has no declaration for it.
import uplotCss from "uplot/dist/uPlot.min.css" with { type: "text" };
// @ts-expect-error TS2307: as above.
import consoleCss from "./console.css" with { type: "text" };

/** uPlot's stylesheet and the console's, as one <style> element (the page loads nothing else). */
export function installStyles(): void {
  const style = document.createElement("style");
  style.textContent = `${uplotCss as string}\n${consoleCss as string}`;
  document.head.append(style);
}

import type { Style } from "./io.js";

// ANSI colours for a terminal, loaded only when colour is on (src/main.ts decides: NO_COLOR,
// FORCE_COLOR, a terminal).

const paint =
  (open: number, close: number) =>
  (text: string): string =>
    `\u001b[${open}m${text}\u001b[${close}m`;

export const ansi: Style = {
  bold: paint(1, 22),
  dim: paint(2, 22),
  red: paint(31, 39),
  yellow: paint(33, 39),
  green: paint(32, 39),
  cyan: paint(36, 39),
};

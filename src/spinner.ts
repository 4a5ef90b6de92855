import { writeSync } from "node:fs";

// Progress for a step that takes seconds (uv sync, git init, a template fetch), redrawn in place
// on a terminal; loaded only when stdout is one, so nothing is animated in a log or a pipe.

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const CLEAR_LINE = "\r\u001b[2K";

function draw(text: string): void {
  try {
    writeSync(1, text);
  } catch {
    // The terminal went away; the step itself goes on.
  }
}

/** Seconds since `start`, as people read them: "0.4s", "12.3s". */
function elapsed(start: number): string {
  return `${((performance.now() - start) / 1000).toFixed(1)}s`;
}

/**
 * Shows `label` with a spinner and the time so far until stop(), which clears the line and returns
 * the time taken. The first frame is drawn at once, so even a quick step shows it ran.
 */
export function startSpinner(label: string): { stop: () => string } {
  const start = performance.now();
  let frame = 0;
  // One line, or clearing it would leave the wrapped part behind: a long label (a template's URL) is cut.
  const room = Math.max(10, (process.stdout.columns || 80) - 12);
  const shown = label.length > room ? `${label.slice(0, room - 1)}…` : label;
  const render = () => draw(`${CLEAR_LINE}${FRAMES[frame++ % FRAMES.length]} ${shown} ${elapsed(start)}`);
  render();
  const timer = setInterval(render, 80);
  return {
    stop: () => {
      clearInterval(timer);
      draw(CLEAR_LINE);
      return elapsed(start);
    },
  };
}

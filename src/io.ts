/** What a run gets from the outside world, so the flow itself can be run by tests. */
export interface Io {
  argv: string[];
  env: NodeJS.ProcessEnv;
  /** create-agentcore's cache folder (src/cache-dir.ts); none when there is no home folder for it. */
  cacheDir: string | undefined;
  /** A person is at a terminal (stdin and stdout): questions may be asked. */
  interactive: boolean;
  /** stdout is a terminal: progress may be animated in place. */
  terminal: boolean;
  today: string;
  out: (line: string) => void;
  err: (line: string) => void;
  /** How to colour text for stdout and for stderr (no-ops when colour is off). */
  style: Style;
  errStyle: Style;
}

/** Text colours; each returns the text unchanged when colour is off. */
export interface Style {
  bold: (text: string) => string;
  dim: (text: string) => string;
  red: (text: string) => string;
  yellow: (text: string) => string;
  green: (text: string) => string;
  cyan: (text: string) => string;
}
